"""The built-in SMTP listener: direct delivery, or relay from the company MTA.

- RCPT TO an address that is not one of our mailboxes: 550 at once (no backscatter later).
- Larger than `KEFU_EMAIL_MAX_BYTES`: 552 (advertised as SIZE, so good clients never send).
- 250 only after `ingest()` has committed the message; 451 when the database is down or
  locked, so the sending MTA keeps the message and retries. A retry of something already
  committed answers 250 again and stores nothing new (dedupe by Message-ID).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from kefu.channels.email.receive import EmailReceiver, TemporaryFailure

log = logging.getLogger(__name__)


class _LenientSMTP(SMTP):
    # RFC 5321 allows 1000-byte lines, but real clients send longer ones; refusing them
    # with a 5xx would bounce a customer's mail.
    line_length_limit = 1 << 20


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _LenientSMTP(self.handler, **self.SMTP_kwargs)


class KefuSmtpHandler:
    """aiosmtpd hooks; `EmailReceiver` checks on a worker thread, writes in the lane."""

    def __init__(self, receiver: EmailReceiver) -> None:
        self.receiver = receiver

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.receiver.mailboxes.find(address) is None:
            log.info("smtpd: refused RCPT for a mailbox we do not have")
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = _with_return_path(envelope.mail_from or "", envelope.original_content)
        try:
            await self.receiver.receive_async(raw, tuple(envelope.rcpt_tos))
        except TemporaryFailure as exc:
            log.warning("smtpd: temporary failure (%s); the sender will retry", exc)
            return "451 4.3.0 Temporary failure, please try again later"
        except Exception as exc:
            log.error("smtpd: message not stored (%s); the sender will retry", type(exc).__name__)
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 2.0.0 OK: stored"


def _with_return_path(mail_from: str, raw: bytes) -> bytes:
    """We are the final delivery: record the envelope sender (`<>` marks a bounce)."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    if re.search(rb"(?im)^return-path:", head):
        return raw
    address = mail_from.strip().strip("<>")  # aiosmtpd gives the null sender as "<>"
    return b"Return-Path: <" + address.encode("utf-8", "replace") + b">\r\n" + raw


def start_smtpd(receiver: EmailReceiver, host: str, port: int) -> Controller:
    """Start listening on a background thread; call `.stop()` on the result to end."""
    controller = _Controller(
        KefuSmtpHandler(receiver),
        hostname=host,
        port=port,
        data_size_limit=receiver.services.settings.email_max_bytes,
        enable_SMTPUTF8=True,
        ident="kefu",
    )
    controller.start()
    log.info("smtpd: listening on %s:%d", host, port)
    return controller


def parse_listen(value: str, default_port: int = 2525) -> tuple[str, int]:
    """ "host:port" (or ":port", or "host") → (host, port)."""
    host, _, port = value.rpartition(":") if ":" in value else (value, "", "")
    return host or "127.0.0.1", int(port) if port else default_port
