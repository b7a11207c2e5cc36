"""Human ticket numbers: KF-100001 … derived from the never-reused ticket id."""

from __future__ import annotations

import re

PREFIX = "KF-"
OFFSET = 100000
NUMBER_PATTERN = re.compile(r"\bKF-(\d{6,})\b", re.IGNORECASE)


def ticket_number(ticket_id: int) -> str:
    return f"{PREFIX}{OFFSET + ticket_id}"


def ticket_id_from_number(number: str) -> int | None:
    """The ticket id for a number such as "KF-100042", or None if it is not one."""
    match = NUMBER_PATTERN.fullmatch(number.strip())
    if not match:
        return None
    value = int(match.group(1)) - OFFSET
    return value if value > 0 else None


def find_ticket_number(text: str) -> str | None:
    """The first ticket number mentioned in `text` (an email subject, say)."""
    match = NUMBER_PATTERN.search(text)
    return f"{PREFIX}{match.group(1)}" if match else None
