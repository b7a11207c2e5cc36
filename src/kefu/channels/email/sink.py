"""The demo's SMTP sink: accepts all mail on 127.0.0.1 and keeps it in var/mailbox.

Only for `make demo` and tests; the dev mailbox page shows what it holds.
"""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _MaildirHandler:
    def __init__(self, directory: Path) -> None:
        directory.parent.mkdir(parents=True, exist_ok=True)
        self.maildir = mailbox.Maildir(directory, create=True)  # makes tmp/ new/ cur/

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.maildir.add(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def start_mail_sink(directory: Path, host: str = "127.0.0.1", port: int = 8025) -> Controller:
    controller = Controller(_MaildirHandler(directory), hostname=host, port=port)
    controller.start()
    return controller


def read_mailbox(directory: Path) -> list[tuple[str, Any]]:
    """(key, message) pairs, newest first."""
    if not (directory / "cur").is_dir():
        return []
    box = mailbox.Maildir(directory, create=False)
    items = [(key, box[key]) for key in box.iterkeys()]
    items.sort(key=lambda item: item[1].get_date(), reverse=True)
    return items
