"""Test helpers: a real SMTP sink, free ports, building inbound messages."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from kefu.ingest.inbound import Channel, Inbound, Sender, Trust


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class MailSink:
    """aiosmtpd handler that keeps every delivered message (a real SMTP server)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = 0
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self._messages.append(message)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)


def plain_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    content: str = part.get_content()
    return content


def inbound(
    text: str,
    *,
    uid: str | None = "20000001",
    email_address: str | None = "wang@example.com",
    subject: str = "USDT 充值未到账",
    channel: Channel = Channel.WEB,
    trust: Trust = Trust.VERIFIED,
    **extra: Any,
) -> Inbound:
    sender = Sender(trust=trust, uid=uid, email=email_address, name="王伟")
    return Inbound(channel=channel, sender=sender, subject=subject, body_text=text, **extra)
