"""WebSocket routes (the chat widget, the agent chat console) and their small HTTP helpers."""
