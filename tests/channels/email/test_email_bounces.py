"""A bounce (DSN) of an email we sent joins that email's ticket, tagged, never answered."""

from __future__ import annotations

from email.message import Message
from pathlib import Path

from kefu.channels.email.bulk import BulkIngest
from kefu.channels.email.receive import EmailReceiver
from kefu.jobs.handlers import HANDLERS
from kefu.jobs.worker import Worker
from kefu.services import Services
from tests.channels.email.email_kit import DOMAIN, job_kinds, make_email, messages, tickets
from tests.channels.email.test_email_receive import agent_reply
from tests.support import MailSink, plain_text


def dsn(returned: Message, *, headers_only: bool, number: int = 1) -> bytes:
    """A delivery status notification as Postfix writes it, returning `returned`."""
    original = returned.as_bytes()
    if headers_only:
        part_type, part = "text/rfc822-headers", original.split(b"\n\n", 1)[0] + b"\n"
    else:
        part_type, part = "message/rfc822", original
    return (
        b"Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
        + f"To: support@{DOMAIN}\r\n".encode()
        + b"Subject: Undelivered Mail Returned to Sender\r\n"
        + f"Message-ID: <dsn{number}@mx.example.com>\r\n".encode()
        + b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver it.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; wang@example.com\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n"
        + f"--b\r\nContent-Type: {part_type}\r\n\r\n".encode()
        + part
        + b"\r\n--b--\r\n"
    )


def test_a_bounced_confirmation_is_recorded_on_its_ticket_and_not_answered(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink
) -> None:
    first = receiver.receive(make_email("充值没到账"))
    Worker(email_services, HANDLERS).run_once()
    [confirmation] = mail_sink.messages()

    bounce = receiver.receive(dsn(confirmation, headers_only=True))

    assert bounce.ticket_id == first.ticket_id and not bounce.created_ticket
    assert len(tickets(email_services)) == 1
    returned = messages(email_services)[-1]
    assert returned.meta["tags"] == ["bounce"]
    assert returned.meta["bounce_of"] == confirmation["Message-ID"]
    assert returned.meta["email_from"] == "MAILER-DAEMON@mx.example.com"
    assert job_kinds(email_services).count("email.ticket_confirmation") == 1


def test_a_bounced_agent_reply_is_recorded_on_its_ticket(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink
) -> None:
    first = receiver.receive(make_email("充值没到账"))
    agent_reply(email_services, first.ticket_id)
    Worker(email_services, HANDLERS).run_once()
    reply = next(m for m in mail_sink.messages() if "TxID" in plain_text(m))

    bounce = receiver.receive(dsn(reply, headers_only=False))

    assert bounce.ticket_id == first.ticket_id
    assert len(tickets(email_services)) == 1


def test_a_bounce_naming_a_forged_message_id_joins_no_ticket(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink
) -> None:
    first = receiver.receive(make_email("充值没到账"))
    forged = Message()
    forged["Message-ID"] = f"<kf.t{first.ticket_id}c.0123456789abcdef@{DOMAIN}>"

    bounce = receiver.receive(dsn(forged, headers_only=True))

    assert bounce.created_ticket and bounce.ticket_id != first.ticket_id
    assert "bounce" in tickets(email_services)[-1].tags


def test_a_bounce_in_a_directory_joins_its_ticket_too(
    receiver: EmailReceiver, email_services: Services, mail_sink: MailSink, tmp_path: Path
) -> None:
    first = receiver.receive(make_email("充值没到账"))
    Worker(email_services, HANDLERS).run_once()
    [confirmation] = mail_sink.messages()
    (tmp_path / "bounce.eml").write_bytes(dsn(confirmation, headers_only=True))

    summary = BulkIngest(receiver).run([tmp_path])

    assert summary.ingested == 1
    assert [m.ticket_id for m in messages(email_services)] == [first.ticket_id] * 2
