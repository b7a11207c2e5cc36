"""Agent sign-in lockout with backoff, kept in the database so every process agrees.

After `after_failures` consecutive failed sign-ins (wrong password or wrong code) an
account is refused for `base_seconds`; each further failure once that has passed doubles
the wait, up to `max_seconds`. While locked even the right password is refused. A
successful sign-in clears the count. Each failure, lock and refusal is an audit event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.ratelimit import RateLimited
from kefu.settings import Settings
from kefu.store.models import Agent, AgentLockout
from kefu.store.models.base import utcnow


class LockedOut(RateLimited):
    """429 with Retry-After: the account is locked after repeated failed sign-ins."""

    code = "locked_out"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__("hardening.locked_out", retry_after=retry_after, minutes=minutes)


@dataclass(frozen=True)
class LockoutPolicy:
    after_failures: int = 5
    base_seconds: int = 60
    max_seconds: int = 3600

    @classmethod
    def from_settings(cls, settings: Settings) -> LockoutPolicy:
        return cls(
            settings.lockout_after_failures,
            settings.lockout_base_seconds,
            settings.lockout_max_seconds,
        )

    def lock_seconds(self, failures: int) -> int:
        """How long `failures` consecutive failures lock the account (0: not locked)."""
        if failures < self.after_failures:
            return 0
        doublings = min(failures - self.after_failures, 30)
        return int(min(self.base_seconds * 2**doublings, self.max_seconds))


def _agent_id(session: Session, email: str) -> int | None:
    return session.scalars(select(Agent.id).where(Agent.email == email.strip().lower())).first()


def locked_for(session: Session, email: str, now: datetime | None = None) -> int:
    """Seconds the account with this email is still locked (0: it may try); a refused
    attempt is audited."""
    now = now or utcnow()
    agent_id = _agent_id(session, email)
    row = session.get(AgentLockout, agent_id) if agent_id is not None else None
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    wait = math.ceil((row.locked_until - now).total_seconds())
    record_event(session, "agent.login_refused_locked", Actor("agent", agent_id), seconds=wait)
    return wait


def record_failure(
    session: Session,
    email: str,
    reason: str,
    policy: LockoutPolicy,
    now: datetime | None = None,
) -> int:
    """Count a failed sign-in for the account (if it exists); the lock it earned, in seconds."""
    now = now or utcnow()
    agent_id = _agent_id(session, email)
    if agent_id is None:
        return 0  # no account to lock; the per-address rate limit covers guessing
    row = session.get(AgentLockout, agent_id)
    if row is None:
        row = AgentLockout(agent_id=agent_id, failures=0)
        session.add(row)
    row.failures += 1
    row.updated_at = now
    actor = Actor("agent", agent_id)
    if reason != "totp":  # check_totp audits its own failures
        record_event(session, "agent.login_failed", actor, reason=reason)
    seconds = policy.lock_seconds(row.failures)
    if seconds:
        row.locked_until = now + timedelta(seconds=seconds)
        record_event(session, "agent.locked_out", actor, failures=row.failures, seconds=seconds)
    return seconds


def clear_failures(session: Session, agent_id: int) -> None:
    """A successful sign-in: the count starts again from zero."""
    row = session.get(AgentLockout, agent_id)
    if row is not None:
        session.delete(row)
