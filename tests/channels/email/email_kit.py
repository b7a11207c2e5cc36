"""Building test emails, a DKIM key for a local zone, and reading back what was stored."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid

import dkim  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select

from kefu.channels.email.authenticity import TxtResolver, zone_resolver
from kefu.services import Services
from kefu.store.models import Attachment, Customer, Message, OutboxJob, Ticket

# A throwaway 1024-bit key for the fictional example.com zone below; signs test mail only.
DKIM_PRIVATE_KEY = b"""-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQCf+gSQ7+HMR1ybYSRFFsy8sDv4KAemFzpSeAvNdLe+R2PlLVC2
2Tt7B9lQrjZNMYDKsXQFnXLgQPALmlwk6DWDs8c6LpfHlwY6CF7yc9qcAoUQrcF+
3QMqfrZhQqyWI9ftSeLVslUTpSK0d5OvytSCWvfUL3Piu4ssQa1O2OFz/wIDAQAB
AoGBAIoL7G7JoZZuqhomzG6WCxx0E3vDxz3q41gQ4VZs9rXK0wgLf5AZirtS/ZMi
khcwtYuzb4P85wle4AWTMRpkCvB7FxDUbbyaBOkaxwCbeEopOrTbZ5ImVwxH7Mve
26QsfLQa+GbkKDVoSxagMpvngs0NC+NUEWDeObIKKbGbrSthAkEAzoy+Z1r/kcpw
nuG459bP64Q+oEXHdmmV4d658RYrFmpTp5MpY9WFC2EB37zZ7UknD65hMHudCpj7
aFGd7Ch1TwJBAMZG2KtDo6GVmdsOIfS9uszImSISyx118FQsq8UhRVb3IgxltbXs
qq15ChyP0Kw2oumBXuXDBSV5nHatPbs8ylECQQCIoi/+PQMdFTak05q2urI2EPhA
m4hT+4qrrOOB6PE91b5a9w2FPiTRny1XLR1YS3DsfaVLJip/bS26F2uJYkYfAkEA
jrfOG7CrJpLtVPzeOjEbNW4qs5j9dO5AmAYzeciSBaALdQr8+b8pt4YJXjeyh1Mo
fpVtfkqa+LeJhO78ITsHkQJAVknHdR1NldwfAE+3Hc8EX56wnqOxTTbMYuY37YOn
haRex0rHA1b+/MzasAH2ohBfbjYnSjFZgL8pj3ztStfVeQ==
-----END RSA PRIVATE KEY-----
"""
DKIM_PUBLIC_KEY = (
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCf+gSQ7+HMR1ybYSRFFsy8sDv4KAemFzpSeAvNdLe+R2PlLVC22"
    "Tt7B9lQrjZNMYDKsXQFnXLgQPALmlwk6DWDs8c6LpfHlwY6CF7yc9qcAoUQrcF+3QMqfrZhQqyWI9ftSeLVslUTp"
    "SK0d5OvytSCWvfUL3Piu4ssQa1O2OFz/wIDAQAB"
)
# The same key published for example.com and for an attacker's own domain.
ZONE = {
    "s1._domainkey.example.com": f"v=DKIM1; k=rsa; p={DKIM_PUBLIC_KEY}",
    "s1._domainkey.evil.example": f"v=DKIM1; k=rsa; p={DKIM_PUBLIC_KEY}",
}
DOMAIN = "demo-exchange.example"
IMAP_URL = os.environ.get("KEFU_TEST_IMAP_URL", "")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Locally, IMAP tests skip without a server; in CI a missing server fails them instead.
needs_imap = pytest.mark.skipif(
    not IMAP_URL and not IN_CI, reason="KEFU_TEST_IMAP_URL not set (run .ci/dovecot.sh)"
)  # the test deployment's mailboxes: support@…, security@…
_counter = itertools.count(1)


def local_zone() -> TxtResolver:
    return zone_resolver(ZONE)


@dataclass(frozen=True)
class Attach:
    filename: str
    content_type: str
    data: bytes


def make_email(
    body: str = "你好，我的充值没有到账，请帮忙查一下。",
    *,
    sender: str = "Wang Wei <wang@example.com>",
    to: str = f"support@{DOMAIN}",
    subject: str = "充值未到账",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: tuple[Attach, ...] = (),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(f"t{next(_counter)}", domain="example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for item in attachments:
        main, _, sub = item.content_type.partition("/")
        message.add_attachment(item.data, maintype=main, subtype=sub, filename=item.filename)
    return message.as_bytes(policy=SMTP)


def dkim_signed(raw: bytes, domain: str = "example.com") -> bytes:
    signature: bytes = dkim.sign(
        raw,
        b"s1",
        domain.encode(),
        DKIM_PRIVATE_KEY,
        include_headers=[b"from", b"to", b"subject", b"message-id"],
    )
    return signature + raw


def tickets(services: Services) -> list[Ticket]:
    with services.db.read() as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.id)))


def messages(services: Services, author: str = "customer") -> list[Message]:
    with services.db.read() as session:
        query = select(Message).where(Message.author_kind == author).order_by(Message.id)
        return list(session.scalars(query))


def attachments(services: Services) -> list[Attachment]:
    with services.db.read() as session:
        return list(session.scalars(select(Attachment).order_by(Attachment.id)))


def job_kinds(services: Services) -> list[str]:
    with services.db.read() as session:
        return list(session.scalars(select(OutboxJob.kind).order_by(OutboxJob.id)))


def add_account(services: Services, uid: str = "20000001", email: str = "wang@example.com") -> int:
    """A customer whose identity (and account email) the exchange vouched for."""
    with services.db.write() as session:
        customer = Customer(uid=uid, email=email, name="王伟", verification="verified")
        session.add(customer)
        session.flush()
        return customer.id
