"""Unusual access: a viewer who opens unusually many distinct customers in an hour.

Every audited customer view (ticket page and sidebar, agent API) goes through
`register_view`. Re-opening a customer already seen this hour is free. The view that would
make the distinct count exceed the threshold raises an alert for admins (audit event
`insider.unusual_access`, the admin page, an email to active admins) and is refused, as is
every new customer after it, until an admin marks the alert reviewed or the hour passes.

The counts live in the database (`customer_views`), so every web process shares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.auth.agents import AgentPrincipal
from kefu.errors import Forbidden, NotFound
from kefu.insider.reveals import viewer_of
from kefu.jobs.outbox import enqueue
from kefu.ratelimit import RateLimited
from kefu.store.models import AccessAlert, CustomerView
from kefu.store.models.base import utcnow

WINDOW = timedelta(hours=1)
ALERT_EMAIL_JOB = "insider.alert_email"


class AccessThrottled(RateLimited):
    """429 with Retry-After: too many distinct customers viewed in the last hour."""

    code = "access_throttled"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__("insider.throttled", retry_after=retry_after, minutes=minutes)


@dataclass(frozen=True)
class ViewDecision:
    allowed: bool
    retry_after: int = 0

    def enforce(self) -> None:
        """Raise once the caller's transaction has committed (the alert must be kept)."""
        if not self.allowed:
            raise AccessThrottled(self.retry_after)


def register_view(
    session: Session,
    principal: AgentPrincipal,
    customer_id: int,
    *,
    threshold: int,
    now: datetime | None = None,
) -> ViewDecision:
    """Count this view; decide whether it may be shown."""
    now = now or utcnow()
    viewer = viewer_of(principal)
    since = _counting_since(session, viewer, now)
    if _seen_since(session, viewer, customer_id, since):
        return ViewDecision(True)
    alert = _open_alert(session, viewer, now)
    if alert is not None:
        return ViewDecision(False, _seconds_left(alert.created_at, now))
    distinct = _distinct_since(session, viewer, since) + 1
    if distinct > threshold:
        _raise_alert(session, principal, viewer, distinct, now)
        return ViewDecision(False, int(WINDOW.total_seconds()))
    session.add(CustomerView(viewer=viewer, customer_id=customer_id, viewed_at=now))
    return ViewDecision(True)


def open_alerts(session: Session) -> list[AccessAlert]:
    """Alerts not yet reviewed, newest first (past the hour they no longer throttle)."""
    query = select(AccessAlert).where(AccessAlert.reviewed_at.is_(None))
    return list(session.scalars(query.order_by(AccessAlert.id.desc()).limit(100)))


def review_alert(session: Session, alert_id: int, reviewer: AgentPrincipal, note: str) -> None:
    """An admin has looked: the viewer's throttle ends and counting starts afresh."""
    alert = session.get(AccessAlert, alert_id)
    if alert is None or alert.reviewed_at is not None:
        raise NotFound()
    if alert.viewer == viewer_of(reviewer):
        raise Forbidden()  # nobody lifts their own pause
    alert.reviewed_at = utcnow()
    alert.reviewed_by_agent_id = reviewer.agent_id
    record_event(
        session,
        "insider.alert_reviewed",
        reviewer.actor(),
        alert=alert.id,
        viewer=alert.viewer,
        note=note[:500],
    )


def _raise_alert(
    session: Session, principal: AgentPrincipal, viewer: str, distinct: int, now: datetime
) -> None:
    alert = AccessAlert(viewer=viewer, distinct_customers=distinct, created_at=now)
    session.add(alert)
    session.flush()
    record_event(
        session,
        "insider.unusual_access",
        Actor.system(),
        alert=alert.id,
        viewer=viewer,
        distinct_customers=distinct,
        window_minutes=int(WINDOW.total_seconds() // 60),
    )
    enqueue(session, ALERT_EMAIL_JOB, {"alert_id": alert.id})


def _counting_since(session: Session, viewer: str, now: datetime) -> datetime:
    """The window's start, or the last review if later (a review starts a fresh count)."""
    reviewed = session.scalar(
        select(func.max(AccessAlert.reviewed_at)).where(AccessAlert.viewer == viewer)
    )
    start = now - WINDOW
    return max(start, reviewed) if reviewed is not None else start


def _seen_since(session: Session, viewer: str, customer_id: int, since: datetime) -> bool:
    query = select(CustomerView.id).where(
        CustomerView.viewer == viewer,
        CustomerView.customer_id == customer_id,
        CustomerView.viewed_at >= since,
    )
    return session.scalar(query.limit(1)) is not None


def _distinct_since(session: Session, viewer: str, since: datetime) -> int:
    query = select(func.count(func.distinct(CustomerView.customer_id))).where(
        CustomerView.viewer == viewer, CustomerView.viewed_at >= since
    )
    return int(session.scalar(query) or 0)


def _open_alert(session: Session, viewer: str, now: datetime) -> AccessAlert | None:
    query = select(AccessAlert).where(
        AccessAlert.viewer == viewer,
        AccessAlert.reviewed_at.is_(None),
        AccessAlert.created_at > now - WINDOW,
    )
    return session.scalars(query.order_by(AccessAlert.id.desc()).limit(1)).first()


def _seconds_left(started: datetime, now: datetime) -> int:
    return max(1, int((started + WINDOW - now).total_seconds()))
