"""Agent endpoints: list and filter, view, reply or note, change fields."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kefu.auth.roles import Scope
from kefu.live.events import ticket_changed
from kefu.store.ids import MAX_ROW_ID
from kefu.tickets.access import access_ticket_for_agent, check_scope
from kefu.tickets.actions import FieldChanges, add_agent_message, change_fields, set_status
from kefu.tickets.presence import check_view_is_current
from kefu.tickets.queries import AgentFilter, agent_tickets, timeline
from kefu.web.api.v1.schemas import (
    AgentReply,
    AgentTicketDetail,
    AgentTicketList,
    AgentTicketOut,
    CategorySlug,
    MessageOut,
    PriorityName,
    RowId,
    StatusName,
    TicketUpdate,
    agent_ticket_out,
    message_out,
)
from kefu.web.deps import AgentDep, ServicesDep

router = APIRouter(prefix="/api/v1/agent/tickets", tags=["agent tickets"])


@router.get("", response_model=AgentTicketList)
def list_tickets(
    agent: AgentDep,
    services: ServicesDep,
    status: StatusName | None = None,
    priority: PriorityName | None = None,
    category: CategorySlug | None = None,
    team_id: RowId | None = None,
    assignee_id: RowId | None = None,
    unassigned: bool = False,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> AgentTicketList:
    check_scope(agent, Scope.TICKETS_READ)
    where = AgentFilter(
        status=status,
        priority=priority,
        category=category,
        team_id=team_id,
        assignee_id=assignee_id,
        unassigned=unassigned,
        text=q,
        limit=limit,
        offset=offset,
    )
    with services.db.read() as session:
        tickets, total = agent_tickets(session, where)
        return AgentTicketList(tickets=[agent_ticket_out(t) for t in tickets], total=total)


@router.get("/{number}", response_model=AgentTicketDetail)
def get_ticket(number: str, agent: AgentDep, services: ServicesDep) -> AgentTicketDetail:
    with services.db.read() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_READ)
        entries = timeline(session, ticket.id, include_internal=True)
        return AgentTicketDetail(
            **agent_ticket_out(ticket).model_dump(),
            messages=[message_out(e.message, e.attachments) for e in entries],
        )


@router.post("/{number}/messages", status_code=201, response_model=MessageOut)
def add_message(
    number: str, body: AgentReply, agent: AgentDep, services: ServicesDep
) -> MessageOut:
    """A public reply (emailed to the customer) or, with `internal: true`, a note."""
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        if body.seen_message_id is not None and not body.confirm_stale:
            check_view_is_current(session, ticket.id, body.seen_message_id)
        message = add_agent_message(
            session, ticket, agent.actor(), body.body, internal=body.internal
        )
        if body.status is not None:
            set_status(session, ticket, body.status, agent.actor())
        result = message_out(message, [])
    ticket_changed(services.live, number, "note" if body.internal else "reply")
    return result


@router.patch("/{number}", response_model=AgentTicketOut)
def update_ticket(
    number: str, body: TicketUpdate, agent: AgentDep, services: ServicesDep
) -> AgentTicketOut:
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        change_fields(session, ticket, FieldChanges(**body.model_dump()), agent.actor())
        result = agent_ticket_out(ticket)
    ticket_changed(services.live, number, "fields")
    return result
