"""Customer sign-in: an exchange-signed identity token, or a one-time emailed link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.auth.customer_tokens import CustomerIdentity
from kefu.auth.secrets import new_token, token_hash
from kefu.errors import NotAuthenticated
from kefu.ingest.inbound import Sender, Trust
from kefu.ingest.steps.identify import find_or_create_customer
from kefu.jobs.outbox import enqueue
from kefu.store.models import Customer, CustomerLink
from kefu.store.models.base import utcnow

LINK_LIFETIME = timedelta(minutes=15)


def customer_for_identity(session: Session, identity: CustomerIdentity) -> Customer:
    sender = Sender(
        trust=Trust.VERIFIED,
        uid=identity.uid,
        email=identity.email,
        name=identity.name,
        language=identity.language,
    )
    ref = find_or_create_customer(session, sender, identity.language or "zh-Hans")
    customer = session.get(Customer, ref.id)
    assert customer is not None, "found or created just now, in this transaction"
    return customer


def send_magic_link(session: Session, email: str, language: str) -> None:
    """Email a one-time sign-in link. Says nothing about whether the address is known."""
    email = email.strip().lower()
    customer = session.scalars(
        select(Customer).where(Customer.email == email).order_by(Customer.id)
    ).first()
    if customer is None:
        customer = Customer(email=email, language=language, verification="claimed")
        session.add(customer)
        session.flush()
    # The job mints the link itself, so no usable token is ever stored.
    enqueue(session, "email.magic_link", {"customer_id": customer.id})


def mint_magic_link(session: Session, customer_id: int) -> str:
    """A new one-time token for `customer_id`; only its hash is stored."""
    token = new_token()
    session.add(
        CustomerLink(
            customer_id=customer_id,
            token_hash=token_hash(token),
            expires_at=utcnow() + LINK_LIFETIME,
        )
    )
    return token


def redeem_magic_link(session: Session, token: str) -> Customer:
    link = session.scalars(
        select(CustomerLink).where(CustomerLink.token_hash == token_hash(token))
    ).first()
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        raise NotAuthenticated("error.link_invalid")
    link.used_at = utcnow()
    customer = session.get(Customer, link.customer_id)
    assert customer is not None
    return customer
