"""Customer endpoints: submit, list own, view, reply, mark solved."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from kefu.audit import Actor
from kefu.errors import NotFound
from kefu.ingest.inbound import Channel, Inbound, Sender
from kefu.ingest.pipeline import ingest, ingest_async
from kefu.services import Services
from kefu.tickets.access import access_ticket_for_customer
from kefu.tickets.actions import set_status
from kefu.tickets.queries import customer_tickets, timeline
from kefu.tickets.status import Status
from kefu.web.api.v1.schemas import (
    ExpectedReply,
    MessageCreate,
    MessageOut,
    TicketCreate,
    TicketDetail,
    TicketList,
    TicketOut,
    message_out,
    ticket_out,
)
from kefu.web.deps import CustomerDep, CustomerPrincipal, ServicesDep, resolve_customer_id
from kefu.web.ratelimits import check_ticket_rate
from kefu.work.describe import describe_hours
from kefu.work.policies import Promise, promise_text, reply_promise

router = APIRouter(prefix="/api/v1/tickets", tags=["customer tickets"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


@router.post("", status_code=201, response_model=TicketOut)
async def create_ticket(
    request: Request,
    body: TicketCreate,
    customer: CustomerDep,
    services: ServicesDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> TicketOut:
    """Open a ticket. Retrying with the same `Idempotency-Key` returns the same ticket."""
    check_ticket_rate(request, services, customer)
    inbound = Inbound(
        channel=Channel.API,
        sender=_sender(customer, body.language),
        subject=body.subject,
        body_text=body.description,
        category=body.category,
        external_id=_external_id(customer, idempotency_key),
    )
    receipt = await ingest_async(services, inbound)
    if receipt.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    assert receipt.ticket is not None
    created = ticket_out(receipt.ticket, receipt.possible_duplicate_of)
    # The policies are re-read at most every few seconds: usually no database call here.
    promise = reply_promise(services, receipt.ticket, receipt.customer_tier)
    created.expected_reply = _expected_reply(promise, receipt.ticket.language)
    return created


def _expected_reply(promise: Promise, lang: str) -> ExpectedReply:
    return ExpectedReply(
        policy=promise.policy,
        minutes=promise.minutes,
        around_the_clock=promise.around_the_clock,
        business_hours=describe_hours(promise.calendar, lang),
        text=promise_text(promise, lang),
    )


@router.get("", response_model=TicketList)
def list_tickets(customer: CustomerDep, services: ServicesDep) -> TicketList:
    with services.db.read() as session:
        tickets = customer_tickets(session, resolve_customer_id(services, customer).customer_id)
        return TicketList(tickets=[ticket_out(t) for t in tickets])


@router.get("/{number}", response_model=TicketDetail)
def get_ticket(number: str, customer: CustomerDep, services: ServicesDep) -> TicketDetail:
    with services.db.read() as session:
        ticket = access_ticket_for_customer(session, number, _own(services, customer, number))
        entries = timeline(session, ticket.id, include_internal=False)
        return TicketDetail(
            **ticket_out(ticket).model_dump(),
            messages=[message_out(e.message, e.attachments) for e in entries],
        )


@router.post("/{number}/messages", status_code=201, response_model=MessageOut)
def reply(
    number: str,
    body: MessageCreate,
    customer: CustomerDep,
    services: ServicesDep,
    idempotency_key: IdempotencyKey = None,
) -> MessageOut:
    _own(services, customer, number)
    inbound = Inbound(
        channel=Channel.API,
        sender=_sender(customer, None),
        body_text=body.body,
        ticket_number=number,
        external_id=_external_id(customer, idempotency_key),
    )
    receipt = ingest(services, inbound)
    with services.db.read() as session:
        entries = timeline(session, receipt.ticket_id, include_internal=False)
        entry = next(e for e in entries if e.message.id == receipt.message_id)
        return message_out(entry.message, entry.attachments)


@router.post("/{number}/solve", response_model=TicketOut)
def mark_solved(number: str, customer: CustomerDep, services: ServicesDep) -> TicketOut:
    with services.db.write() as session:
        ticket = access_ticket_for_customer(session, number, _own(services, customer, number))
        actor = Actor("customer", ticket.customer_id)
        set_status(session, ticket, Status.SOLVED.value, actor)
        return ticket_out(ticket)


def _sender(customer: CustomerPrincipal, language: str | None) -> Sender:
    if language is None:
        return customer.sender
    s = customer.sender
    return Sender(trust=s.trust, uid=s.uid, email=s.email, name=s.name, language=language)


def _external_id(customer: CustomerPrincipal, key: str | None) -> str | None:
    return f"idem:{customer.idempotency_scope}:{key}" if key else None


def _own(services: Services, customer: CustomerPrincipal, number: str) -> int:
    """The caller's customer id, or NotFound: someone kefu has never seen owns nothing."""
    customer_id = resolve_customer_id(services, customer).customer_id
    if customer_id is None:
        raise NotFound("error.ticket_not_found", number=number)
    return customer_id
