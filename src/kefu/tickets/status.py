"""Ticket statuses and the transitions allowed between them, as a table."""

from __future__ import annotations

from enum import StrEnum

from kefu.errors import Conflict


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    PENDING = "pending"  # waiting on the customer
    ON_HOLD = "on_hold"  # waiting on another team
    SOLVED = "solved"
    CLOSED = "closed"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_ORDER = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset(
        {Status.OPEN, Status.PENDING, Status.ON_HOLD, Status.SOLVED, Status.CLOSED}
    ),
    Status.OPEN: frozenset({Status.PENDING, Status.ON_HOLD, Status.SOLVED}),
    Status.PENDING: frozenset({Status.OPEN, Status.ON_HOLD, Status.SOLVED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    # Closed is final: a later message starts a follow-up ticket.
    Status.CLOSED: frozenset(),
}

OPEN_STATUSES = frozenset({Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD})


def check_transition(current: str, target: str) -> None:
    """Raise Conflict (HTTP 409) unless `current → target` is allowed; same status is a no-op."""
    if current == target:
        return
    if Status(target) not in ALLOWED[Status(current)]:
        raise Conflict("error.illegal_transition", current=current, target=target)


def raise_priority(current: str, floor: str) -> str:
    """The higher of two priorities."""
    return max(current, floor, key=lambda p: PRIORITY_ORDER[Priority(p)])
