"""Secrets in an email (subject, text, HTML, a text attachment) are redacted before storage."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from kefu.channels.email.authenticity import zone_resolver
from kefu.channels.email.receive import EmailReceiver
from kefu.services import Services
from tests.core.test_secrets_never_stored import (
    MESSAGE,
    SECRETS,
    SEED,
    assert_no_secret,
    everything_stored,
)


def test_an_email_full_of_secrets_is_stored_without_them(
    services: Services, logs: pytest.LogCaptureFixture
) -> None:
    mail = EmailMessage()
    mail["From"] = "王伟 <wang@example.com>"
    mail["To"] = "support@demo-exchange.example"
    mail["Subject"] = f"我的密码是 {SECRETS['password']}"
    mail["Message-ID"] = "<secrets-1@example.com>"
    mail.set_content(MESSAGE)
    mail.add_alternative(f"<p>助记词：<b>{SEED[:40]}</b>{SEED[40:]}</p>", subtype="html")
    mail.add_attachment(MESSAGE.encode(), maintype="text", subtype="plain", filename="notes.txt")

    receipt = EmailReceiver(services, zone_resolver({})).receive(
        mail.as_bytes(), ["support@demo-exchange.example"]
    )

    assert {f.kind for f in receipt.redactions} >= {"seed_phrase", "password"}
    assert_no_secret(everything_stored(services))
    assert_no_secret(logs.text)
