"""Live-hub topics for chat, and the JSON a message becomes on the wire.

`chat:<visitor>` carries what the customer may see (to the customer and the agents);
`chat-internal:<visitor>` carries internal notes (agents only); `chat:queue` tells agent
consoles that the waiting list changed.
"""

from __future__ import annotations

from typing import Any

from kefu.auth.secrets import sign_value
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import Attachment, Message

QUEUE_TOPIC = "chat:queue"


def public_topic(visitor_key: str) -> str:
    return f"chat:{visitor_key}"


def internal_topic(visitor_key: str) -> str:
    return f"chat-internal:{visitor_key}"


def attachment_url(services: Services, attachment_id: int) -> str:
    """A capability URL: whoever saw the message may fetch its image, nobody can guess others."""
    signed = sign_value(f"a{attachment_id}", services.settings.resolved_secret_key())
    return f"/api/v1/chat/attachments/{signed}"


def message_event(
    services: Services,
    message: Message,
    attachments: list[Attachment],
    author_name: str | None = None,
) -> LiveEvent:
    meta: dict[str, Any] = message.meta or {}
    return {
        "type": "message",
        "seq": message.id,
        "author": message.author_kind,
        "name": author_name,
        "text": message.body_text,
        "at": message.created_at.isoformat(),
        "internal": message.visibility == "internal",
        "attachments": [
            {"id": a.id, "name": a.filename, "url": attachment_url(services, a.id)}
            for a in attachments
            if a.status == "ok"
        ],
        "articles": meta.get("articles", []),
        "quick_replies": meta.get("quick_replies", []),
        "survey": dict(meta["survey"]) if meta.get("survey") else None,  # kefu.work.csat
    }
