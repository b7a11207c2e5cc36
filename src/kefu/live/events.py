"""The live events kefu publishes, in one place (after the change has committed)."""

from __future__ import annotations

from kefu.live.hub import LiveHub

AGENTS = "agents"  # the topic every agent's inbox listens to


def ticket_changed(live: LiveHub, number: str, change: str) -> None:
    """Tell open inboxes and ticket pages that `number` changed (`change`: what happened)."""
    live.publish(AGENTS, {"type": "ticket.updated", "ticket": number, "change": change})
