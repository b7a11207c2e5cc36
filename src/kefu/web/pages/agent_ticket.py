"""One ticket in the agent workspace: timeline with events, composer with macros,
fields, merge, escalate, spam, collision warnings and the customer sidebar."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Scope
from kefu.errors import Conflict, KefuError, NotFound, UserError
from kefu.exchange.client import AccountFacts
from kefu.exchange.http import exchange_client
from kefu.i18n import t
from kefu.insider.access import register_view
from kefu.insider.masking import MaskedCustomer, mask_sender, masked_customer
from kefu.insider.reveals import REASON_MIN, reveal_field, revealed_fields
from kefu.live.events import ticket_changed
from kefu.shield.attachments import AttachmentVerdict, check_attachment
from kefu.store.models import (
    Agent,
    Attachment,
    Customer,
    Event,
    Macro,
    Message,
    SatisfactionRating,
    Team,
    Ticket,
)
from kefu.tickets.access import access_ticket_for_agent
from kefu.tickets.actions import FieldChanges, add_agent_message, change_fields, set_status
from kefu.tickets.attachments import store_attachment
from kefu.tickets.escalation import escalate_ticket, mark_spam
from kefu.tickets.macros import apply_macro, render_macro
from kefu.tickets.merge import merge_tickets
from kefu.tickets.presence import check_view_is_current, mark_viewing, other_viewers
from kefu.tickets.queries import customer_tickets, timeline
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent, optional_agent
from kefu.web.language import request_language
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
# Shown in the timeline between messages; the rest is in the audit list below it.
INLINE_EVENTS = frozenset(
    {
        "ticket.status_changed",
        "ticket.field_changed",
        "ticket.escalated",
        "ticket.merged",
        "ticket.merged_from",
        "ticket.marked_spam",
        "ticket.assigned",
    }
)
FormText = Annotated[str, Form()]


@router.get("/agent/tickets/{number}", response_class=HTMLResponse)
def ticket_page(number: str, request: Request, services: ServicesDep) -> Response:
    agent = optional_agent(request, services)
    if agent is None:
        return RedirectResponse("/agent/login", status_code=303)
    threshold = services.settings.insider_view_threshold
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_READ)
        decision = register_view(session, agent, ticket.customer_id, threshold=threshold)
        if decision.allowed:
            if agent.agent_id is not None:
                mark_viewing(session, ticket.id, agent.agent_id, composing=False)
            context = _ticket_context(session, ticket, agent)
    decision.enforce()  # after the commit: an unusual-access alert is kept
    context["account"], context["account_error"] = _account_facts(
        services, context["customer"], agent
    )
    return render(
        request,
        "agent/ticket.html",
        **context,
        stale=request.query_params.get("stale"),
        **_reveal_settings(services),
    )


@router.post("/agent/tickets/{number}/reveal")
def reveal(
    number: str,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    field: FormText,
    reason: FormText,
) -> Response:
    """Unmask one field of this ticket's customer for this agent, for a short time."""
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    minutes = services.settings.insider_reveal_minutes
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_READ)
        reveal_field(
            session, agent, ticket.customer_id, field, reason, minutes=minutes, ticket_id=ticket.id
        )
    return RedirectResponse(f"/agent/tickets/{number}", status_code=303)


def _account_facts(
    services: ServicesDep, customer: MaskedCustomer | None, agent: AgentPrincipal
) -> tuple[AccountFacts | None, str | None]:
    """Live facts from the exchange for a verified UID; each look is written to the audit log."""
    if customer is None or not customer.uid or customer.verification != "verified":
        return None, None
    try:
        with exchange_client(services.settings) as client:
            facts = client.account_facts(customer.uid)
    except KefuError as exc:
        return None, exc.code
    with services.db.write() as session:
        record_event(session, "customer.account_facts_viewed", agent.actor(), uid=customer.uid)
    return facts, None


def _ticket_context(session: Session, ticket: Ticket, agent: AgentPrincipal) -> dict[str, Any]:
    entries = timeline(session, ticket.id, include_internal=True)
    events = list(
        session.scalars(select(Event).where(Event.ticket_id == ticket.id).order_by(Event.id))
    )
    customer = _masked(session, ticket.customer_id, agent)
    if agent.agent_id is not None:
        # Seeing a customer's profile is a sensitive read: it is recorded.
        record_event(
            session, "customer.viewed", agent.actor(), ticket.id, customer=ticket.customer_id
        )
    shown = [e for e in events if e.kind in INLINE_EVENTS]
    items: list[tuple[str, Any]] = [("message", e) for e in entries]
    items += [("event", e) for e in shown]
    items.sort(key=_when)
    duplicate = session.get(Ticket, ticket.duplicate_of_id) if ticket.duplicate_of_id else None
    return {
        "rating": session.get(SatisfactionRating, ticket.id),
        "duplicate_of": duplicate
        if duplicate is not None and duplicate.status != "closed"
        else None,
        "me": agent,
        "ticket": ticket,
        "entries": entries,
        "items": items,
        "events": events,
        "customer": customer,
        "other_tickets": [
            other
            for other in customer_tickets(session, ticket.customer_id, limit=20)
            if other.id != ticket.id
        ],
        "agents": list(session.scalars(select(Agent).where(Agent.is_active).order_by(Agent.name))),
        "teams": list(session.scalars(select(Team).order_by(Team.slug))),
        "macros": list(session.scalars(select(Macro).where(Macro.is_active).order_by(Macro.name))),
        "macro_previews": {
            m.id: render_macro(
                session, m, ticket, agent.agent_id, customer.name if customer else None
            )
            for m in session.scalars(select(Macro).where(Macro.is_active))
        },
        "mask_sender": partial(
            mask_sender, revealed=customer.revealed if customer else frozenset()
        ),
        "viewers": other_viewers(session, ticket.id, agent.agent_id),
        "last_message_id": entries[-1].message.id if entries else 0,
    }


def _masked(session: Session, customer_id: int, agent: AgentPrincipal) -> MaskedCustomer | None:
    """The customer as this agent may see them now: masked unless a field is revealed."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return None
    return masked_customer(customer, revealed_fields(session, agent, customer_id))


def _when(item: tuple[str, Any]) -> datetime:
    kind, entry = item
    moment: datetime = entry.message.created_at if kind == "message" else entry.created_at
    return moment


@router.post("/agent/tickets/{number}/messages")
def post_message(
    number: str,
    request: Request,
    services: ServicesDep,
    body: FormText,
    csrf: FormText,
    kind: Annotated[str, Form()] = "reply",
    then_status: Annotated[str, Form()] = "",
    seen_message_id: Annotated[int, Form()] = 0,
    confirm_stale: Annotated[str, Form()] = "",
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    checked = _checked_uploads(services, files or [])
    try:
        with services.db.write() as session:
            ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
            if seen_message_id and not confirm_stale and kind != "note":
                check_view_is_current(session, ticket.id, seen_message_id)
            message = add_agent_message(
                session, ticket, agent.actor(), body, internal=kind == "note"
            )
            for filename, verdict in checked:
                store_attachment(session, services.files, message.id, filename, verdict)
            if then_status:
                set_status(session, ticket, then_status, agent.actor())
    except Conflict as exc:
        if exc.code != "stale_view":
            raise
        return _stale_page(request, services, number, agent, body)
    ticket_changed(services.live, number, "note" if kind == "note" else "reply")
    return RedirectResponse(f"/agent/tickets/{number}", status_code=303)


def _checked_uploads(
    services: ServicesDep, uploads: list[UploadFile]
) -> list[tuple[str, AttachmentVerdict]]:
    """Agents' files pass the same checks as customers' (type sniffed, metadata stripped)."""
    limit = services.settings.max_attachments
    chosen = [u for u in uploads if u.filename]
    if len(chosen) > limit:
        raise UserError("error.too_many_files", code="too_many_files", limit=limit)
    checked = []
    for upload in chosen:
        data = upload.file.read()
        verdict = check_attachment(
            upload.filename or "file",
            upload.content_type or "application/octet-stream",
            data,
            services.settings.max_attachment_bytes,
        )
        checked.append((upload.filename or "file", verdict))
    return checked


def _stale_page(
    request: Request, services: ServicesDep, number: str, agent: AgentPrincipal, draft: str
) -> Response:
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_READ)
        context = _ticket_context(session, ticket, agent)
    warning = t("workspace.stale_view", request_language(request))
    return render(
        request,
        "agent/ticket.html",
        **context,
        **_reveal_settings(services),
        stale=warning,
        draft=draft,
        status_code=409,
    )


def _reveal_settings(services: ServicesDep) -> dict[str, int]:
    return {"reveal_minutes": services.settings.insider_reveal_minutes, "reason_min": REASON_MIN}


@router.post("/agent/tickets/{number}/macro")
def use_macro(
    number: str,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    macro_id: Annotated[int, Form()],
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        macro = session.get(Macro, macro_id)
        if macro is None:
            raise NotFound()
        apply_macro(session, macro, ticket, agent.actor())
    ticket_changed(services.live, number, "reply")
    return RedirectResponse(f"/agent/tickets/{number}", status_code=303)


@router.post("/agent/tickets/{number}/fields")
def update_fields(
    number: str,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    status: FormText,
    priority: FormText,
    category: FormText,
    team: FormText,
    assignee: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    changes = FieldChanges(
        status=status,
        priority=priority,
        category=category,
        team=team,
        assignee_id=int(assignee) if assignee.isdigit() else None,
        unassign=not assignee,
        tags=[tag for tag in tags.replace("，", ",").split(",") if tag.strip()],
    )
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        change_fields(session, ticket, changes, agent.actor())
    ticket_changed(services.live, number, "fields")
    return RedirectResponse(f"/agent/tickets/{number}", status_code=303)


@router.post("/agent/tickets/{number}/merge")
def merge(
    number: str, request: Request, services: ServicesDep, csrf: FormText, into: FormText
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    with services.db.write() as session:
        source = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        target = access_ticket_for_agent(session, into.strip().upper(), agent, Scope.TICKETS_WRITE)
        merge_tickets(session, source, target, agent.actor())
        target_number = target.number or ""
    ticket_changed(services.live, number, "merged")
    ticket_changed(services.live, target_number, "merged")
    return RedirectResponse(f"/agent/tickets/{target_number}", status_code=303)


@router.post("/agent/tickets/{number}/escalate")
def escalate(
    number: str,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    team: FormText,
    reason: FormText,
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        escalate_ticket(session, ticket, team, reason, agent.actor())
    ticket_changed(services.live, number, "escalated")
    return RedirectResponse(f"/agent/tickets/{number}", status_code=303)


@router.post("/agent/tickets/{number}/spam")
def spam(number: str, request: Request, services: ServicesDep, csrf: FormText) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        mark_spam(session, ticket, agent.actor())
    ticket_changed(services.live, number, "spam")
    return RedirectResponse("/agent", status_code=303)


@router.get("/agent/attachments/{attachment_id}")
def attachment(attachment_id: int, request: Request, services: ServicesDep) -> Response:
    """Attachments are served only to agents, only if clean, and never rendered inline as HTML."""
    agent = current_agent(request, services)
    with services.db.write() as session:
        row = session.execute(
            select(Attachment, Message.ticket_id)
            .join(Message, Message.id == Attachment.message_id)
            .where(Attachment.id == attachment_id)
        ).first()
        if row is None or row[0].status != "ok" or not row[0].storage_key:
            raise NotFound()
        item, ticket_id = row
        record_event(
            session,
            "attachment.viewed",
            Actor("agent", agent.agent_id),
            ticket_id,
            attachment=item.id,
        )
    path = services.files.root / item.storage_key
    inline = item.content_type.startswith("image/") or item.content_type == "application/pdf"
    return FileResponse(
        path,
        media_type=item.content_type,
        filename=item.filename,
        content_disposition_type="inline" if inline else "attachment",
        headers={"Content-Security-Policy": "sandbox", "X-Content-Type-Options": "nosniff"},
    )
