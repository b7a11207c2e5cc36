"""identify: who is writing, and how sure we are (verified / claimed / anonymous)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from kefu.ingest.draft import CustomerRef, Draft
from kefu.ingest.inbound import Sender, Trust
from kefu.services import Services
from kefu.store.models import Customer
from kefu.store.prebuilt import Prebuilt

TRUST_RANK = {Trust.ANONYMOUS: 0, Trust.CLAIMED: 1, Trust.VERIFIED: 2}

# Prebuilt Core statements: every message identifies its sender, inside the write
# transaction, so this stays cheap (no ORM loading, no statement building per call).
_C = cast(Table, Customer.__table__)
_COLUMNS = (
    _C.c.id,
    _C.c.uid,
    _C.c.email,
    _C.c.name,
    _C.c.language,
    _C.c.verification,
    _C.c.tier,
)
BY_UID = Prebuilt(select(*_COLUMNS).where(_C.c.uid == bindparam("uid")))
ACCOUNT_BY_EMAIL = Prebuilt(
    select(*_COLUMNS)
    .where(_C.c.email == bindparam("email"), _C.c.uid.is_not(None))
    .order_by(_C.c.id)
    .limit(1)
)
BY_EMAIL = Prebuilt(
    select(*_COLUMNS).where(_C.c.email == bindparam("email")).order_by(_C.c.id).limit(1)
)
INSERT = insert(_C).returning(_C.c.id)
UPDATE = update(_C).where(_C.c.id == bindparam("customer_id"))


def identify(session: Session, services: Services, draft: Draft) -> None:
    sender = draft.inbound.sender
    draft.trust = sender.trust
    draft.customer = find_or_create_customer(session, sender, draft.language)
    if _proves_account_email(sender, draft.customer):
        draft.trust = Trust.VERIFIED


def _proves_account_email(sender: Sender, customer: CustomerRef) -> bool:
    """A proven email address is a verified identity only when it is the account's email."""
    return bool(
        sender.email_proven
        and sender.email
        and customer.uid
        and customer.verification == Trust.VERIFIED.value
        and (customer.email or "").casefold() == sender.email.casefold()
    )


def find_or_create_customer(session: Session, sender: Sender, language: str) -> CustomerRef:
    """The customer a sender is. Only a verified sender may be matched to an exchange UID.

    Works on rows, not ORM objects; a caller that needs the `Customer` object takes
    `session.get(Customer, ref.id)` afterwards.
    """
    connection = session.connection()
    found = _find(session, sender)
    if found is None:
        values: dict[str, Any] = {
            "uid": sender.uid if sender.trust is Trust.VERIFIED else None,
            "email": sender.email,
            "name": sender.name or "",
            "language": language,
            "verification": sender.trust.value,
        }
        customer_id = connection.execute(INSERT, values).scalar_one()
        return CustomerRef(id=customer_id, **values)
    updated = _learned_from(sender, found)
    if updated != found:
        changes = {k: v for k, v in vars(updated).items() if getattr(found, k) != v}
        connection.execute(UPDATE, {"customer_id": found.id, **changes})
    return updated


def _learned_from(sender: Sender, customer: CustomerRef) -> CustomerRef:
    """What a message teaches about its customer: a stronger proof of identity, and for a
    verified sender the exchange's current email and name."""
    verification = customer.verification
    if TRUST_RANK[sender.trust] > TRUST_RANK[Trust(verification)]:
        verification = sender.trust.value
    email, name = customer.email, customer.name
    if sender.trust is Trust.VERIFIED:
        email = sender.email or email
        name = sender.name or name
    return replace(customer, email=email, name=name, verification=verification)


def _find(session: Session, sender: Sender) -> CustomerRef | None:
    connection = session.connection()
    row = None
    if sender.trust is Trust.VERIFIED and sender.uid:
        row = BY_UID.first(connection, {"uid": sender.uid})
    elif sender.email:
        if sender.email_proven:
            row = ACCOUNT_BY_EMAIL.first(connection, {"email": sender.email})
        if row is None:
            # An unverified email may only reach a customer that has no exchange UID, or
            # one whose account email it is (the email itself is the shared secret here).
            row = BY_EMAIL.first(connection, {"email": sender.email})
    return CustomerRef(*row) if row is not None else None
