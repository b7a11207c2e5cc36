"""Email-channel fixtures: a receiver with a local DNS zone, the SMTP listener on 127.0.0.1,
and a real Dovecot IMAP server (`.ci/dovecot.sh`; required when CI=true)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest

from kefu.channels.email.receive import EmailReceiver
from kefu.channels.email.smtpd import start_smtpd
from kefu.services import Services
from tests.channels.email.email_kit import DOMAIN, IMAP_URL, local_zone
from tests.support import free_port


@pytest.fixture
def email_services(services: Services) -> Services:
    """The test services with our mailboxes on the demo domain."""
    settings = services.settings.model_copy(
        update={"mail_from": f"Demo Exchange Support <support@{DOMAIN}>", "email_domain": DOMAIN}
    )
    return replace(services, settings=settings)


@pytest.fixture
def receiver(email_services: Services) -> EmailReceiver:
    return EmailReceiver(email_services, local_zone())


@pytest.fixture
def smtp_port(receiver: EmailReceiver) -> Iterator[int]:
    controller = start_smtpd(receiver, "127.0.0.1", free_port())
    yield controller.port
    controller.stop()


@pytest.fixture
def imap_folder() -> Iterator[str]:
    """A fresh folder on the Dovecot server; the URL of it (credentials included)."""
    if not IMAP_URL:
        pytest.fail("CI=true but KEFU_TEST_IMAP_URL is not set: run .ci/dovecot.sh")
    import imaplib

    parts = urlsplit(IMAP_URL)
    folder = f"kefu-test-{uuid.uuid4().hex[:10]}"
    conn = imaplib.IMAP4(parts.hostname or "127.0.0.1", parts.port or 143, timeout=10)
    conn.login(parts.username or "", parts.password or "")
    for name in (folder, f"{folder}-done"):
        assert conn.create(name)[0] == "OK"
    yield folder
    for name in (folder, f"{folder}-done"):
        conn.delete(name)
    conn.logout()
