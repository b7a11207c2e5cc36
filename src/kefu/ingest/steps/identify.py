"""identify: who is writing, and how sure we are (verified / claimed / anonymous)."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kefu.ingest.draft import Draft
from kefu.ingest.inbound import Sender, Trust
from kefu.services import Services
from kefu.store.models import Customer

TRUST_RANK = {Trust.ANONYMOUS: 0, Trust.CLAIMED: 1, Trust.VERIFIED: 2}
# Built once: every verified message looks its customer up by UID.
CUSTOMER_BY_UID = select(Customer).where(Customer.uid == bindparam("uid"))


def identify(session: Session, services: Services, draft: Draft) -> None:
    sender = draft.inbound.sender
    draft.trust = sender.trust
    draft.customer = find_or_create_customer(session, sender, draft.language)
    if _proves_account_email(sender, draft.customer):
        draft.trust = Trust.VERIFIED


def _proves_account_email(sender: Sender, customer: Customer) -> bool:
    """A proven email address is a verified identity only when it is the account's email."""
    return bool(
        sender.email_proven
        and sender.email
        and customer.uid
        and customer.verification == Trust.VERIFIED.value
        and (customer.email or "").casefold() == sender.email.casefold()
    )


def find_or_create_customer(session: Session, sender: Sender, language: str) -> Customer:
    """The customer a sender is. Only a verified sender may be matched to an exchange UID."""
    customer = _find(session, sender)
    if customer is None:
        customer = Customer(
            uid=sender.uid if sender.trust is Trust.VERIFIED else None,
            email=sender.email,
            name=sender.name or "",
            language=language,
            verification=sender.trust.value,
        )
        session.add(customer)
        session.flush()
        return customer
    if TRUST_RANK[sender.trust] > TRUST_RANK[Trust(customer.verification)]:
        customer.verification = sender.trust.value
    if sender.trust is Trust.VERIFIED:
        customer.email = sender.email or customer.email
        customer.name = sender.name or customer.name
    return customer


def _find(session: Session, sender: Sender) -> Customer | None:
    if sender.trust is Trust.VERIFIED and sender.uid:
        return session.scalars(CUSTOMER_BY_UID, {"uid": sender.uid}).first()
    if sender.email_proven and sender.email:
        account = session.scalars(
            select(Customer)
            .where(Customer.email == sender.email, Customer.uid.is_not(None))
            .order_by(Customer.id)
        ).first()
        if account is not None:
            return account
    if sender.email:
        # An unverified email may only reach a customer that has no exchange UID, or one
        # whose account email it is (the email itself is the shared secret here).
        return session.scalars(
            select(Customer).where(Customer.email == sender.email).order_by(Customer.id)
        ).first()
    return None
