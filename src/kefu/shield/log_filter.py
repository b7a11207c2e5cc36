"""A logging filter that redacts secrets from every record before it is written."""

from __future__ import annotations

import logging

from kefu.shield.redact import redact_secrets


class SecretLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted.findings:
            record.msg, record.args = redacted.text, None
        return True


def install_log_filter() -> None:
    """Attach the filter to every handler of the root logger (call after logging setup)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, SecretLogFilter) for f in handler.filters):
            handler.addFilter(SecretLogFilter())
