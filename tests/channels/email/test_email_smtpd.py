"""The SMTP listener on 127.0.0.1, with Python's smtplib as the sending MTA."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kefu.channels.email.receive import EmailReceiver
from kefu.channels.email.smtpd import start_smtpd
from kefu.services import Services
from kefu.store.db import open_database
from kefu.store.models import Message
from tests.channels.email.email_kit import (
    DOMAIN,
    Attach,
    attachments,
    local_zone,
    make_email,
    messages,
    tickets,
)
from tests.support import free_port

SUPPORT = f"support@{DOMAIN}"


def send(
    port: int, raw: bytes, to: list[str] | None = None, sender: str = "wang@example.com"
) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(sender, to or [SUPPORT], raw)


def count_messages(services: Services) -> int:
    with services.db.read() as session:
        return session.scalar(select(func.count(Message.id))) or 0


def test_250_means_the_message_is_already_committed(
    smtp_port: int, email_services: Services
) -> None:
    send(smtp_port, make_email("充值没到账", subject="USDT 充值"))

    # No waiting: the listener answered 250 only after ingest() committed.
    [ticket] = tickets(email_services)
    assert ticket.subject == "USDT 充值" and ticket.channel == "email"


def test_unknown_recipients_are_refused_at_rcpt(smtp_port: int, email_services: Services) -> None:
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(smtp_port, make_email("hi"), [f"nobody@{DOMAIN}"])
    assert refused.value.recipients[f"nobody@{DOMAIN}"][0] == 550

    with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
        rejected = smtp.sendmail("wang@example.com", [f"ceo@{DOMAIN}", SUPPORT], make_email("x"))
    assert rejected[f"ceo@{DOMAIN}"][0] == 550
    assert count_messages(email_services) == 1


def test_oversize_mail_is_refused_with_552(email_services: Services) -> None:
    small = replace(
        email_services,
        settings=email_services.settings.model_copy(update={"email_max_bytes": 20_000}),
    )
    controller = start_smtpd(EmailReceiver(small, local_zone()), "127.0.0.1", free_port())
    big = make_email(
        "x", attachments=(Attach("big.bin", "application/octet-stream", b"\0" * 30_000),)
    )
    try:
        with pytest.raises(smtplib.SMTPSenderRefused) as by_size:  # SIZE announced up front
            send(controller.port, big)
        with smtplib.SMTP("127.0.0.1", controller.port) as smtp:  # a client that ignores SIZE
            smtp.ehlo()
            smtp.mail("wang@example.com")
            smtp.rcpt(SUPPORT)
            code, _ = smtp.data(big)
    finally:
        controller.stop()
    assert by_size.value.smtp_code == 552 and code == 552
    assert count_messages(email_services) == 0


def test_a_database_outage_answers_451_and_the_retry_is_stored_once(
    email_services: Services, smtp_port: int, tmp_path: Path
) -> None:
    broken_url = (
        f"sqlite:///{tmp_path}"  # a directory: SQLite cannot open it
        if email_services.db.is_sqlite
        else f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/kefu"
    )
    down = replace(email_services, db=open_database(broken_url))
    controller = start_smtpd(EmailReceiver(down, local_zone()), "127.0.0.1", free_port())
    raw = make_email("my withdrawal is stuck", message_id="<retry-me@example.com>")
    try:
        with pytest.raises(smtplib.SMTPDataError) as temporary:
            send(controller.port, raw)
    finally:
        controller.stop()
        down.db.engine.dispose()
    assert temporary.value.smtp_code == 451
    assert count_messages(email_services) == 0

    send(smtp_port, raw)  # the sending MTA retries once the database is back
    send(smtp_port, raw)  # and, not having seen our 250, perhaps once more
    assert count_messages(email_services) == 1


def test_a_bounce_with_the_null_sender_is_kept_and_tagged(
    smtp_port: int, email_services: Services
) -> None:
    send(smtp_port, make_email("Delivery failed", subject="Undeliverable"), sender="")
    [ticket] = tickets(email_services)
    assert "auto_reply" in ticket.tags


# --------------------------------------------------------------------------- bad input


def test_malformed_mail_is_stored_tagged_and_logged_without_its_content(
    smtp_port: int, email_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    raw = (
        b"\x00\xff garbage line\r\nSubject: =?gb2312?B?broken\r\nContent-Type: multipart/mixed; "
        b'boundary="never"\r\n\r\nmy seed words are secret\x00 and \xfe\xfe bytes\r\n'
    )
    with caplog.at_level(logging.INFO):
        send(smtp_port, raw)

    [ticket] = tickets(email_services)
    [message] = messages(email_services)
    [kept] = attachments(email_services)  # the unreadable multipart, byte for byte
    assert "malformed" in ticket.tags
    assert ticket.subject == "=?gb2312?B?broken"
    assert kept.size == len(b"my seed words are secret\x00 and \xfe\xfe bytes\n")  # 7bit: LF
    assert "StartBoundaryNotFoundDefect" in message.meta["defects"]
    assert "seed words" not in caplog.text


def test_a_huge_attachment_is_refused_but_the_message_is_kept(
    smtp_port: int, email_services: Services
) -> None:
    limit = email_services.settings.max_attachment_bytes
    huge = Attach("statement.pdf", "application/pdf", b"%PDF-1.4\n" + b"0" * (limit + 10))
    small = Attach("screenshot.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"1" * 100)
    send(smtp_port, make_email("see attached", attachments=(huge, small)))

    [message] = messages(email_services)
    by_name = {a.filename: a for a in attachments(email_services)}
    assert message.body_text == "see attached"
    assert by_name["statement.pdf"].status == "refused"
    assert by_name["statement.pdf"].reason == "too_large"
    assert by_name["screenshot.png"].status != "refused"


def test_hostile_html_is_sanitised_and_kept(smtp_port: int, email_services: Services) -> None:
    hostile = (
        '<p onclick="steal()">Hello <b>support</b></p><script>fetch("//evil.example")</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">click</a>'
        '<iframe src="//evil.example"></iframe><style>body{display:none}</style>'
    )
    send(smtp_port, make_email("Hello support", html=hostile))

    [message] = messages(email_services)
    html = message.body_html or ""
    assert "<b>support</b>" in html
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style"):
        assert bad not in html.lower()
    assert message.body_text == "Hello support"
