"""The agent side: sign in with password + TOTP (enrolment by QR code), inbox, ticket view.

Issue #7 grows this into the full workspace; the rules live in kefu.tickets either way.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kefu.auth.agents import AgentPrincipal, check_password, check_totp, end_session, start_session
from kefu.auth.roles import Scope
from kefu.auth.totp import provisioning_uri, qr_svg
from kefu.errors import NotAuthenticated
from kefu.store.models import Agent, Customer, Team
from kefu.tickets.access import access_ticket_for_agent
from kefu.tickets.actions import FieldChanges, add_agent_message, change_fields
from kefu.tickets.queries import AgentFilter, agent_tickets, timeline
from kefu.web.csrf import check_csrf
from kefu.web.deps import AGENT_COOKIE, ServicesDep, current_agent
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
VIEWS = ("all", "mine", "unassigned")


@router.get("/agent/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return render(request, "agent/login.html", error=None, enrol=None)


@router.post("/agent/login", response_class=HTMLResponse)
def login(
    request: Request,
    services: ServicesDep,
    email: FormText,
    password: FormText,
    csrf: FormText,
    code: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    with services.db.write() as session:
        try:
            agent = check_password(session, email, password)
        except NotAuthenticated:
            return _login_failed(request)
        if not agent.totp_confirmed and not code:
            # Password proven: now, and only now, show the secret to enrol.
            uri = provisioning_uri(agent.totp_secret, agent.email)
            enrol = {"qr": qr_svg(uri), "secret": agent.totp_secret, "email": agent.email}
            return render(request, "agent/login.html", error=None, enrol=enrol)
        try:
            check_totp(session, agent, code)
        except NotAuthenticated:
            session.commit()  # keep the failed-attempt audit event
            return _login_failed(request)
        token = start_session(session, agent)
    response = RedirectResponse("/agent", status_code=303)
    response.set_cookie(AGENT_COOKIE, token, httponly=True, samesite="lax", max_age=12 * 3600)
    return response


@router.post("/agent/logout")
def logout(request: Request, services: ServicesDep, csrf: FormText) -> Response:
    check_csrf(request, csrf)
    token = request.cookies.get(AGENT_COOKIE)
    if token:
        with services.db.write() as session:
            end_session(session, token)
    response = RedirectResponse("/agent/login", status_code=303)
    response.delete_cookie(AGENT_COOKIE)
    return response


@router.get("/agent", response_class=HTMLResponse)
def inbox(request: Request, services: ServicesDep) -> Response:
    agent = _agent_or_none(request, services)
    if agent is None:
        return RedirectResponse("/agent/login", status_code=303)
    view = request.query_params.get("view", "all")
    where = AgentFilter(
        open_only=True,
        assignee_id=agent.agent_id if view == "mine" else None,
        unassigned=view == "unassigned",
        text=request.query_params.get("q") or None,
        limit=100,
    )
    with services.db.read() as session:
        tickets, total = agent_tickets(session, where)
        me = session.get(Agent, agent.agent_id) if agent.agent_id else None
    return render(
        request, "agent/inbox.html", tickets=tickets, total=total, view=view, views=VIEWS, me=me
    )


@router.get("/agent/tickets/{number}", response_class=HTMLResponse)
def ticket_page(number: str, request: Request, services: ServicesDep) -> Response:
    agent = _agent_or_none(request, services)
    if agent is None:
        return RedirectResponse("/agent/login", status_code=303)
    with services.db.read() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_READ)
        entries = timeline(session, ticket.id, include_internal=True)
        customer = session.get(Customer, ticket.customer_id)
        agents = list(session.scalars(select(Agent).where(Agent.is_active).order_by(Agent.name)))
        teams = list(session.scalars(select(Team).order_by(Team.slug)))
    return render(
        request,
        "agent/ticket.html",
        ticket=ticket,
        entries=entries,
        customer=customer,
        agents=agents,
        teams=teams,
    )


@router.post("/agent/tickets/{number}/messages")
def post_message(
    number: str,
    request: Request,
    services: ServicesDep,
    body: FormText,
    csrf: FormText,
    kind: Annotated[str, Form()] = "reply",
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        add_agent_message(session, ticket, agent.actor(), body, internal=kind == "note")
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
    )
    with services.db.write() as session:
        ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
        change_fields(session, ticket, changes, agent.actor())
    return RedirectResponse(f"/agent/tickets/{number}", status_code=303)


def _agent_or_none(request: Request, services: ServicesDep) -> AgentPrincipal | None:
    try:
        return current_agent(request, services)
    except NotAuthenticated:
        return None


def _login_failed(request: Request) -> Response:
    return render(
        request, "agent/login.html", status_code=401, error="error.login_failed", enrol=None
    )
