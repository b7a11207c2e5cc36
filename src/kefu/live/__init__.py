"""Live events to agents and chat clients. Publish only after commit."""
