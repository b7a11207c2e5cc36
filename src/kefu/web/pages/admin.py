"""Administration pages for leads and admins: agents, macros, and the audit log viewer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kefu.audit import Actor, record_event
from kefu.auth.agents import AgentPrincipal, create_agent
from kefu.auth.roles import Role
from kefu.categories import CATEGORY_BY_SLUG
from kefu.channels.email.mailboxes import load_mailboxes
from kefu.errors import Forbidden, UserError
from kefu.store.models import Agent, AgentAvailability, Event, Macro, Team, TeamAssignment
from kefu.tickets.macros import MacroInput, check_macro, check_macro_name_free
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent, optional_agent
from kefu.web.pages.render import render
from kefu.work.assignment import MODES, configure_team
from kefu.work.presence import set_capacity

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
MANAGERS = (Role.LEAD.value, Role.ADMIN.value)
AUDITORS = (Role.LEAD.value, Role.ADMIN.value, Role.SECURITY.value)


def _require(request: Request, services: ServicesDep, roles: tuple[str, ...]) -> AgentPrincipal:
    agent = current_agent(request, services)
    if agent.role not in roles:
        raise Forbidden()
    return agent


@router.get("/agent/admin", response_class=HTMLResponse)
def admin_home(request: Request, services: ServicesDep) -> Response:
    if optional_agent(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    _require(request, services, AUDITORS)
    with services.db.read() as session:
        agents = list(session.scalars(select(Agent).order_by(Agent.name)))
        teams = {team.id: team for team in session.scalars(select(Team))}
        macros = list(session.scalars(select(Macro).order_by(Macro.name)))
    me = current_agent(request, services)
    return render(request, "agent/admin.html", agents=agents, teams=teams, macros=macros, me=me)


@router.post("/agent/admin/agents")
def add_agent(
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    email: FormText,
    name: FormText,
    password: FormText,
    role: FormText,
    team: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    manager = _require(request, services, (Role.ADMIN.value,))
    if role not in {r.value for r in Role}:
        raise UserError("error.validation", code="validation_error", field="role", detail=role)
    with services.db.write() as session:
        agent = create_agent(session, email, name, password, role, team or None)
        session.flush()
        record_event(session, "agent.created", manager.actor(), agent=agent.id, role=role)
    return RedirectResponse("/agent/admin", status_code=303)


@router.post("/agent/admin/agents/{agent_id}/active")
def set_active(
    agent_id: int, request: Request, services: ServicesDep, csrf: FormText, active: FormText
) -> Response:
    check_csrf(request, csrf)
    manager = _require(request, services, (Role.ADMIN.value,))
    with services.db.write() as session:
        agent = session.get(Agent, agent_id)
        if agent is None:
            raise UserError("error.not_found", code="not_found")
        agent.is_active = active == "1"
        record_event(
            session,
            "agent.activated" if agent.is_active else "agent.deactivated",
            manager.actor(),
            agent=agent_id,
        )
    return RedirectResponse("/agent/admin", status_code=303)


@router.post("/agent/admin/macros")
def add_macro(
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    name: FormText,
    body_zh: FormText,
    body_en: FormText,
    status: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    manager = _require(request, services, MANAGERS)
    data = MacroInput(name.strip(), body_zh, body_en, status or None)
    check_macro(data)
    with services.db.write() as session:
        check_macro_name_free(session, data.name)
        actions = {"status": data.status} if data.status else {}
        session.add(
            Macro(name=data.name, body_zh=data.body_zh, body_en=data.body_en, actions=actions)
        )
        record_event(session, "macro.created", manager.actor(), name=data.name)
    return RedirectResponse("/agent/admin", status_code=303)


@router.get("/agent/audit", response_class=HTMLResponse)
def audit_log(request: Request, services: ServicesDep) -> Response:
    """The append-only trail, newest first, filterable by kind, actor and ticket."""
    if optional_agent(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    auditor = _require(request, services, AUDITORS)
    params = request.query_params
    query = select(Event).order_by(Event.id.desc()).limit(200)
    if params.get("kind"):
        query = query.where(Event.kind.startswith(params["kind"]))
    if params.get("actor", "").isdigit():
        query = query.where(Event.actor_id == int(params["actor"]))
    if params.get("ticket", "").isdigit():
        query = query.where(Event.ticket_id == int(params["ticket"]))
    with services.db.write() as session:
        events = list(session.scalars(query))
        # Reading the audit trail is itself a sensitive read.
        record_event(
            session, "audit.viewed", Actor("agent", auditor.agent_id), filters=dict(params)
        )
    return render(request, "agent/audit.html", events=events, params=dict(params), me=auditor)


@router.get("/agent/admin/routing", response_class=HTMLResponse)
def routing_page(request: Request, services: ServicesDep) -> Response:
    """Teams (assignment mode), agents' skills and capacity, mailboxes and categories."""
    if optional_agent(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    me = _require(request, services, MANAGERS)
    with services.db.read() as session:
        teams = list(session.scalars(select(Team).order_by(Team.slug)))
        modes = {row.team_id: row for row in session.scalars(select(TeamAssignment))}
        agents = list(session.scalars(select(Agent).where(Agent.is_active).order_by(Agent.name)))
        availability = {row.agent_id: row for row in session.scalars(select(AgentAvailability))}
    return render(
        request,
        "agent/routing.html",
        me=me,
        teams=teams,
        modes=modes,
        assignment_modes=MODES,
        agents=agents,
        availability=availability,
        mailboxes=load_mailboxes(services.settings).boxes,
    )


@router.post("/agent/admin/teams/{team_id}")
def update_team(
    team_id: int,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    mode: FormText,
    away_minutes: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    manager = _require(request, services, MANAGERS)
    if mode not in MODES:
        raise UserError("error.validation", code="validation_error", field="mode", detail=mode)
    minutes = _optional_minutes(away_minutes)
    with services.db.write() as session:
        if session.get(Team, team_id) is None:
            raise UserError("error.not_found", code="not_found")
        configure_team(session, team_id, mode, minutes)
        record_event(session, "team.routing_changed", manager.actor(), team=team_id, mode=mode)
    return RedirectResponse("/agent/admin/routing", status_code=303)


@router.post("/agent/admin/skills/{agent_id}")
def update_skills(
    agent_id: int,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    max_chats: Annotated[int, Form(ge=0, le=50)],
    max_tickets: Annotated[int, Form(ge=0, le=500)],
    languages: Annotated[list[str] | None, Form()] = None,
    categories: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    manager = _require(request, services, MANAGERS)
    chosen_languages = [lang for lang in languages or [] if lang in ("zh-Hans", "en")]
    chosen_categories = [slug for slug in categories or [] if slug in CATEGORY_BY_SLUG]
    with services.db.write() as session:
        agent = session.get(Agent, agent_id)
        if agent is None:
            raise UserError("error.not_found", code="not_found")
        agent.languages = chosen_languages
        set_capacity(
            session,
            agent_id,
            max_chats=max_chats,
            max_tickets=max_tickets,
            categories=chosen_categories,
        )
        record_event(
            session,
            "agent.skills_changed",
            manager.actor(),
            agent=agent_id,
            languages=chosen_languages,
            categories=chosen_categories,
        )
    return RedirectResponse("/agent/admin/routing", status_code=303)


def _optional_minutes(value: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or not 1 <= int(value) <= 10_080:
        raise UserError(
            "error.validation", code="validation_error", field="away_minutes", detail=value
        )
    return int(value)
