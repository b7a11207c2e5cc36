"""Outgoing mail is DKIM-signed when a key is configured, and the signature verifies."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

import kefu
from kefu.channels.email.authenticity import check_sender
from kefu.channels.email.parse import parse_email
from kefu.channels.email.receive import EmailReceiver
from kefu.channels.email.send import send_email
from kefu.jobs.handlers import HANDLERS
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.settings import configuration_problems
from tests.channels.email.email_kit import DKIM_PRIVATE_KEY, local_zone, make_email
from tests.support import free_port


class RawSink:
    """An SMTP server keeping each message's bytes exactly as they arrived."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            self.received.append(envelope.original_content)
        return "250 OK"


@pytest.fixture
def raw_sink() -> Iterator[tuple[RawSink, int]]:
    sink = RawSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, port
    controller.stop()


def with_settings(services: Services, **changes: object) -> Services:
    return replace(services, settings=services.settings.model_copy(update=changes))


def confirmation_bytes(services: Services, sink: RawSink) -> bytes:
    EmailReceiver(services, local_zone()).receive(make_email("充值没到账"))
    Worker(services, HANDLERS).run_once()
    [raw] = sink.received
    return raw


def test_mail_is_signed_with_the_configured_key_and_verifies_against_the_zone(
    email_services: Services, raw_sink: tuple[RawSink, int], tmp_path: Path
) -> None:
    sink, port = raw_sink
    key_file = tmp_path / "dkim.pem"
    key_file.write_bytes(DKIM_PRIVATE_KEY)
    services = with_settings(
        email_services,
        smtp_url=f"smtp://127.0.0.1:{port}",
        email_dkim_key_file=str(key_file),
        email_dkim_selector="s1",
        email_dkim_domain="example.com",  # the local zone publishes s1._domainkey.example.com
    )

    raw = confirmation_bytes(services, sink)

    assert raw.startswith(b"DKIM-Signature: ")
    auth = check_sender(raw, parse_email(raw), local_zone(), [])
    assert (auth.dkim, auth.dkim_domains) == ("pass", ("example.com",))
    tampered = raw.replace(b"Subject: ", b"Subject: [changed] ", 1)
    assert check_sender(tampered, parse_email(tampered), local_zone(), []).dkim == "fail"


def test_every_email_kefu_sends_is_signed_the_same_way(
    email_services: Services, raw_sink: tuple[RawSink, int], tmp_path: Path
) -> None:
    """Transcripts and alerts too: `send_email` is the one place that talks SMTP."""
    sources = Path(kefu.__file__).parent.rglob("*.py")
    assert [p.name for p in sources if "smtplib" in p.read_text()] == ["send.py"]
    sink, port = raw_sink
    key_file = tmp_path / "dkim.pem"
    key_file.write_bytes(DKIM_PRIVATE_KEY)
    settings = email_services.settings.model_copy(
        update={
            "smtp_url": f"smtp://127.0.0.1:{port}",
            "email_dkim_key_file": str(key_file),
            "email_dkim_selector": "s1",
            "email_dkim_domain": "example.com",
        }
    )
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = (
        "support@example.com",
        "wang@example.com",
        "聊天记录 / Chat transcript",
    )
    message.set_content("客服：您好")

    send_email(settings, message)

    [raw] = sink.received
    assert check_sender(raw, parse_email(raw), local_zone(), []).dkim == "pass"


def test_without_a_key_mail_goes_out_unsigned(
    email_services: Services, raw_sink: tuple[RawSink, int]
) -> None:
    sink, port = raw_sink
    services = with_settings(email_services, smtp_url=f"smtp://127.0.0.1:{port}")

    raw = confirmation_bytes(services, sink)

    assert b"DKIM-Signature" not in raw


def test_a_missing_key_file_is_a_configuration_problem(email_services: Services) -> None:
    settings = email_services.settings.model_copy(update={"email_dkim_key_file": "/nowhere.pem"})

    assert "KEFU_EMAIL_DKIM_KEY_FILE: no such file /nowhere.pem" in configuration_problems(settings)
