"""Sending mail over SMTP, DKIM-signed when a key is configured.

`SendError(permanent=…)` tells the worker whether to retry.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import getaddresses, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dkim  # type: ignore[import-untyped]

from kefu.channels.email.mailboxes import load_mailboxes
from kefu.settings import Settings

# What a recipient sees and what threads the conversation; Date and Message-ID make each
# signature unique. Listed twice where a header may be added later (RFC 6376 5.4: the
# extra entry stops anyone adding one without breaking the signature).
SIGNED_HEADERS = (
    *(b"from", b"from", b"to", b"to", b"cc", b"subject", b"subject", b"date", b"message-id"),
    *(b"in-reply-to", b"references", b"reply-to", b"mime-version", b"content-type"),
    b"auto-submitted",
)


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class DkimSigner:
    selector: str
    domain: str
    private_key: bytes = b""

    def sign(self, raw: bytes) -> bytes:
        """`raw` with a DKIM-Signature header in front (relaxed/relaxed, rsa-sha256)."""
        signature: bytes = dkim.sign(
            raw,
            self.selector.encode(),
            self.domain.encode(),
            self.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=list(SIGNED_HEADERS),
        )
        return signature + raw


def dkim_signer(settings: Settings) -> DkimSigner | None:
    """The signer the settings configure, or None (KEFU_EMAIL_DKIM_KEY_FILE unset)."""
    if not settings.email_dkim_key_file:
        return None
    domain = settings.email_dkim_domain or load_mailboxes(settings).domain
    key = Path(settings.email_dkim_key_file).read_bytes()
    return DkimSigner(settings.email_dkim_selector, domain, key)


def send_email(settings: Settings, message: EmailMessage, timeout: float = 15.0) -> None:
    """Deliver `message` through KEFU_SMTP_URL (smtp://, smtps://, smtp+starttls://),
    DKIM-signed when a key is configured: every email kefu sends goes through here.

    The bytes signed are the bytes sent: the message is serialised once, here."""
    raw = message.as_bytes(policy=SMTP)
    signer = dkim_signer(settings)
    if signer is not None:
        raw = signer.sign(raw)
    smtp_url = settings.smtp_url
    sender = parseaddr(str(message["From"]))[1]
    recipients = [a for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
    url = urlsplit(smtp_url)
    host, port = url.hostname or "127.0.0.1", url.port or (465 if url.scheme == "smtps" else 25)
    try:
        smtp: smtplib.SMTP
        if url.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if url.scheme == "smtp+starttls":
                smtp.starttls(context=ssl.create_default_context())
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.sendmail(sender, recipients, raw)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"recipient refused: {list(exc.recipients)}", permanent=True) from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"SMTP {exc.smtp_code}", permanent=500 <= exc.smtp_code < 600) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"SMTP unavailable: {type(exc).__name__}", permanent=False) from None
