"""The customer behind a ticket, as the agent API shows it: masked unless revealed.

Each look is audited (`customer.viewed`, `customer.account_facts_viewed`) and counted for
the unusual-access alert; `reveal` unmasks one field for this caller for a short time.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from kefu.audit import record_event
from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Scope
from kefu.errors import KefuError, NotFound
from kefu.exchange.client import AccountFacts
from kefu.exchange.http import exchange_client
from kefu.insider.access import register_view
from kefu.insider.masking import ACCOUNT, MaskedCustomer, masked_customer
from kefu.insider.reveals import reveal_field, revealed_fields
from kefu.services import Services
from kefu.store.models import Customer, Ticket
from kefu.tickets.access import access_ticket_for_agent
from kefu.web.api.v1.schemas import StrictBody
from kefu.web.deps import AgentDep, ServicesDep

router = APIRouter(prefix="/api/v1/agent/tickets", tags=["agent customers"])


class RevealBody(StrictBody):
    field: Literal["email", "name", "account"]
    reason: str = Field(min_length=1, max_length=500)


class AccountOut(BaseModel):
    status: str
    kyc_level: int | None  # None while masked
    deposits: int | None  # how many recent ones; None while masked
    withdrawals: int | None


class CustomerOut(BaseModel):
    id: int
    uid: str | None
    email: str | None
    name: str | None
    language: str
    tier: str
    verification: str
    revealed: list[str]
    account: AccountOut | None
    account_error: str | None = None


@router.get("/{number}/customer", response_model=CustomerOut)
def get_customer(number: str, agent: AgentDep, services: ServicesDep) -> CustomerOut:
    threshold = services.settings.insider_view_threshold
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.CUSTOMERS_READ)
        decision = register_view(session, agent, ticket.customer_id, threshold=threshold)
        if decision.allowed:
            customer = _masked(session, ticket, agent)
            record_event(session, "customer.viewed", agent.actor(), ticket.id, customer=customer.id)
    decision.enforce()  # after the commit: an unusual-access alert is kept
    return _customer_out(services, customer, agent)


@router.post("/{number}/customer/reveal", response_model=CustomerOut)
def reveal(number: str, body: RevealBody, agent: AgentDep, services: ServicesDep) -> CustomerOut:
    """Unmask `field` of this ticket's customer for the caller (audited with the reason)."""
    minutes = services.settings.insider_reveal_minutes
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.CUSTOMERS_READ)
        reveal_field(
            session,
            agent,
            ticket.customer_id,
            body.field,
            body.reason,
            minutes=minutes,
            ticket_id=ticket.id,
        )
        session.flush()
        customer = _masked(session, ticket, agent)
    return _customer_out(services, customer, agent)


def _masked(session: Session, ticket: Ticket, agent: AgentPrincipal) -> MaskedCustomer:
    customer = session.get(Customer, ticket.customer_id)
    if customer is None:
        raise NotFound()
    return masked_customer(customer, revealed_fields(session, agent, customer.id))


def _customer_out(
    services: Services, customer: MaskedCustomer, agent: AgentPrincipal
) -> CustomerOut:
    account, error = _account(services, customer, agent)
    return CustomerOut(
        id=customer.id,
        uid=customer.uid,
        email=customer.email,
        name=customer.name,
        language=customer.language,
        tier=customer.tier,
        verification=customer.verification,
        revealed=sorted(customer.revealed),
        account=account,
        account_error=error,
    )


def _account(
    services: Services, customer: MaskedCustomer, agent: AgentPrincipal
) -> tuple[AccountOut | None, str | None]:
    """Live facts for a verified UID (the look is audited); KYC and transfers masked."""
    if not customer.uid or customer.verification != "verified":
        return None, None
    try:
        with exchange_client(services.settings) as client:
            facts = client.account_facts(customer.uid)
    except KefuError as exc:
        return None, exc.code
    with services.db.write() as session:
        record_event(session, "customer.account_facts_viewed", agent.actor(), uid=customer.uid)
    return _account_out(facts, customer.shows(ACCOUNT)), None


def _account_out(facts: AccountFacts, shown: bool) -> AccountOut:
    return AccountOut(
        status=facts.status.value,
        kyc_level=facts.kyc_level if shown else None,
        deposits=len(facts.deposits) if shown else None,
        withdrawals=len(facts.withdrawals) if shown else None,
    )
