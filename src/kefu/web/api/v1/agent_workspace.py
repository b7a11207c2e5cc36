"""Agent workspace endpoints: macros, merge, escalate, spam, bulk changes, presence."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from kefu.auth.roles import Role, Scope
from kefu.errors import Forbidden, NotFound
from kefu.store.models import Macro
from kefu.store.models.base import utcnow
from kefu.tickets.access import access_ticket_for_agent, check_scope
from kefu.tickets.actions import FieldChanges, change_fields
from kefu.tickets.escalation import escalate_ticket, mark_spam
from kefu.tickets.macros import MacroInput, apply_macro, check_macro, check_macro_name_free
from kefu.tickets.merge import merge_tickets
from kefu.tickets.presence import mark_viewing, other_viewers
from kefu.web.api.v1.schemas import (
    AgentTicketOut,
    MessageOut,
    RowId,
    StatusName,
    StrictBody,
    agent_ticket_out,
    message_out,
)
from kefu.web.deps import AgentDep, ServicesDep
from kefu.work.presence import set_presence

router = APIRouter(prefix="/api/v1/agent", tags=["agent workspace"])


class MergeBody(StrictBody):
    into: str = Field(min_length=4, max_length=20)


class EscalateBody(StrictBody):
    team: str = Field(min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=2000)


class BulkBody(StrictBody):
    numbers: list[str] = Field(min_length=1, max_length=200)
    status: StatusName | None = None
    assignee_id: RowId | None = None
    add_tags: list[str] = Field(default_factory=list, max_length=20)


class BulkResult(BaseModel):
    updated: list[str]
    failed: dict[str, str]


class MacroBody(StrictBody):
    name: str = Field(min_length=1, max_length=100)
    body_zh: str = Field(min_length=1, max_length=20_000)
    body_en: str = Field(min_length=1, max_length=20_000)
    status: StatusName | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)


class MacroOut(BaseModel):
    id: int
    name: str
    body_zh: str
    body_en: str
    actions: dict[str, object]


class PresenceBody(StrictBody):
    composing: bool = False


class AvailabilityBody(StrictBody):
    presence: Literal["online", "away", "offline"]


class Viewer(BaseModel):
    name: str
    composing: bool


@router.post("/tickets/{number}/merge", response_model=AgentTicketOut)
def merge(number: str, body: MergeBody, agent: AgentDep, services: ServicesDep) -> AgentTicketOut:
    """Move this ticket's messages into `into`; this ticket is closed."""
    with services.db.write() as session:
        source = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        target = access_ticket_for_agent(session, body.into, agent, Scope.TICKETS_WRITE)
        merge_tickets(session, source, target, agent.actor())
        return agent_ticket_out(target)


@router.post("/tickets/{number}/escalate", response_model=AgentTicketOut)
def escalate(
    number: str, body: EscalateBody, agent: AgentDep, services: ServicesDep
) -> AgentTicketOut:
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        escalate_ticket(session, ticket, body.team, body.reason, agent.actor())
        return agent_ticket_out(ticket)


@router.post("/tickets/{number}/spam", response_model=AgentTicketOut)
def spam(number: str, agent: AgentDep, services: ServicesDep) -> AgentTicketOut:
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        mark_spam(session, ticket, agent.actor())
        return agent_ticket_out(ticket)


@router.post("/tickets/bulk", response_model=BulkResult)
def bulk_update(body: BulkBody, agent: AgentDep, services: ServicesDep) -> BulkResult:
    """Apply one change to many tickets; each ticket succeeds or fails on its own."""
    check_scope(agent, Scope.TICKETS_WRITE)
    updated: list[str] = []
    failed: dict[str, str] = {}
    for number in dict.fromkeys(body.numbers):
        try:
            with services.db.write() as session:
                ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
                tags = sorted({*ticket.tags, *body.add_tags}) if body.add_tags else None
                changes = FieldChanges(status=body.status, assignee_id=body.assignee_id, tags=tags)
                change_fields(session, ticket, changes, agent.actor())
            updated.append(number)
        except (NotFound, Forbidden) as exc:
            failed[number] = exc.code
        except Exception as exc:
            failed[number] = getattr(exc, "code", type(exc).__name__)
    return BulkResult(updated=updated, failed=failed)


@router.post("/tickets/{number}/macros/{macro_id}", status_code=201, response_model=MessageOut)
def use_macro(number: str, macro_id: RowId, agent: AgentDep, services: ServicesDep) -> MessageOut:
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        macro = session.get(Macro, macro_id)
        if macro is None or not macro.is_active:
            raise NotFound()
        message = apply_macro(session, macro, ticket, agent.actor())
        return message_out(message, [])


@router.get("/macros", response_model=list[MacroOut])
def list_macros(agent: AgentDep, services: ServicesDep) -> list[MacroOut]:
    check_scope(agent, Scope.TICKETS_READ)
    with services.db.read() as session:
        macros = session.scalars(select(Macro).where(Macro.is_active).order_by(Macro.name))
        return [_macro_out(m) for m in macros]


@router.post("/macros", status_code=201, response_model=MacroOut)
def create_macro(body: MacroBody, agent: AgentDep, services: ServicesDep) -> MacroOut:
    if agent.role not in (Role.LEAD, Role.ADMIN):
        raise Forbidden()
    data = MacroInput(body.name, body.body_zh, body.body_en, body.status, tuple(body.tags))
    check_macro(data)
    actions: dict[str, object] = {}
    if data.status:
        actions["status"] = data.status
    if data.tags:
        actions["tags"] = list(data.tags)
    with services.db.write() as session:
        check_macro_name_free(session, data.name)
        macro = Macro(name=data.name, body_zh=data.body_zh, body_en=data.body_en, actions=actions)
        session.add(macro)
        session.flush()
        return _macro_out(macro)


@router.post("/tickets/{number}/presence", response_model=list[Viewer])
def presence(
    number: str, body: PresenceBody, agent: AgentDep, services: ServicesDep
) -> list[Viewer]:
    """Say "I have this ticket open" (and whether composing); get who else has."""
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_READ)
        if agent.agent_id is not None:
            mark_viewing(session, ticket.id, agent.agent_id, body.composing)
        viewers = other_viewers(session, ticket.id, agent.agent_id)
    return [Viewer(name=name, composing=composing) for name, composing in viewers]


@router.post("/presence", status_code=204)
def heartbeat(body: AvailabilityBody, agent: AgentDep, services: ServicesDep) -> None:
    """Agent pages call this every minute: only agents seen recently count as online for
    assignment (kefu.work.presence)."""
    if agent.agent_id is None:
        raise Forbidden()
    with services.db.write() as session:
        set_presence(session, agent.agent_id, body.presence, utcnow())


def _macro_out(macro: Macro) -> MacroOut:
    return MacroOut(
        id=macro.id,
        name=macro.name,
        body_zh=macro.body_zh,
        body_en=macro.body_en,
        actions=dict(macro.actions or {}),
    )
