"""Live chat channel: the widget's WebSocket frames become `Inbound` messages (see
docs/chat-protocol.md); bot turns, the queue and the agent console live beside them."""
