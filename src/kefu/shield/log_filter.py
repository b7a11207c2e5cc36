"""Secrets never reach the logs: a filter that redacts every record before it is written."""

from __future__ import annotations

import logging
import traceback

from kefu.shield.redact import redact_secrets

_UNFORMATTABLE = "[log message dropped by the secret shield: its arguments did not format]"


class SecretLogFilter(logging.Filter):
    """Redacts the message, its arguments, the exception text and the stack of a record.

    Attach it to handlers (see `install_log_filter`): a filter on a logger does
    not see records that propagate from child loggers.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = _UNFORMATTABLE
        record.msg = redact_secrets(message).text
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text).text
        if record.stack_info:
            record.stack_info = redact_secrets(record.stack_info).text
        return True


def install_log_filter(logger: logging.Logger | None = None) -> SecretLogFilter:
    """Attach one `SecretLogFilter` to every handler of `logger` (the root logger by default).

    Handlers added later need `handler.addFilter(...)` with the returned filter.
    Installing twice adds nothing.
    """
    target = logger if logger is not None else logging.getLogger()
    shield = next(
        (f for h in target.handlers for f in h.filters if isinstance(f, SecretLogFilter)),
        SecretLogFilter(),
    )
    for handler in target.handlers:
        if shield not in handler.filters:
            handler.addFilter(shield)
    return shield
