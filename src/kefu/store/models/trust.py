"""Trust and security: the registry of official identities and account actions (freezes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class OfficialIdentity(Base):
    """An identity the exchange really uses: a domain, sending address, handle, number, agent id.

    `value` is normalised (see `kefu.trust.normalize`) so lookups are exact; `display` is
    what the admin typed and what customers are shown.
    """

    __tablename__ = "official_identities"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # email / domain / website / telegram / x / facebook / phone / agent_id
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(320))
    display: Mapped[str] = mapped_column(String(320))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccountAction(Base):
    """A freeze or unfreeze kefu asked the exchange for; the idempotency key makes it once-only.

    The exchange is the system of record for the account's state; this row records that
    kefu asked, who asked, and what the exchange answered.
    """

    __tablename__ = "account_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(10))  # freeze / unfreeze
    uid: Mapped[str] = mapped_column(String(64), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by_kind: Mapped[str] = mapped_column(String(10))  # customer / agent
    requested_by_id: Mapped[int | None]
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending / done / failed
    exchange_ref: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class UnfreezeRequest(Base):
    """Four eyes: one security agent asks to unfreeze an account, a different one approves.

    Only the approval creates the `AccountAction`, keyed `unfreeze-request:{id}`, so the
    exchange is asked once however often the approval is retried.
    """

    __tablename__ = "unfreeze_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    # awaiting_approval / approved
    status: Mapped[str] = mapped_column(String(20), default="awaiting_approval")
    requested_by_agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id"))
    approved_by_agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_at: Mapped[datetime | None]
