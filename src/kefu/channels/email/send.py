"""Sending mail over SMTP. `SendError(permanent=…)` tells the worker whether to retry."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def send_email(smtp_url: str, message: EmailMessage, timeout: float = 15.0) -> None:
    """Deliver `message` through the server in `smtp_url` (smtp://, smtps://, smtp+starttls://)."""
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
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"recipient refused: {list(exc.recipients)}", permanent=True) from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"SMTP {exc.smtp_code}", permanent=500 <= exc.smtp_code < 600) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"SMTP unavailable: {type(exc).__name__}", permanent=False) from None
