"""The agent inbox: views, filters, search, bulk actions, and live updates (server-sent events)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select

from kefu.auth.roles import Scope
from kefu.errors import NotAuthenticated
from kefu.ingest.inbound import Channel
from kefu.live.events import AGENTS
from kefu.store.models import Agent, SavedView, Team
from kefu.tickets.access import access_ticket_for_agent
from kefu.tickets.actions import FieldChanges, change_fields
from kefu.tickets.queries import VIEWS, agent_tickets, view_filter
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent, optional_agent
from kefu.web.pages.render import render
from kefu.web.pages.sla_badge import sla_due

router = APIRouter(include_in_schema=False)
HEARTBEAT_SECONDS = 15
FILTERS = ("team_id", "category", "channel", "language", "priority", "q", "tag")


@router.get("/agent", response_class=HTMLResponse)
def inbox(request: Request, services: ServicesDep) -> Response:
    agent = optional_agent(request, services)
    if agent is None:
        return RedirectResponse("/agent/login", status_code=303)
    params = request.query_params
    view = params.get("view", "all") if params.get("view") in VIEWS else "all"
    chosen = {key: params[key] for key in FILTERS if params.get(key)}
    where = view_filter(
        view,
        agent.agent_id,
        team_id=int(chosen["team_id"]) if chosen.get("team_id", "").isdigit() else None,
        category=chosen.get("category"),
        channel=chosen.get("channel"),
        language=chosen.get("language"),
        priority=chosen.get("priority"),
        tag=chosen.get("tag"),
        text=chosen.get("q"),
        limit=100,
    )
    with services.db.read() as session:
        tickets, total = agent_tickets(session, where)
        teams = list(session.scalars(select(Team).order_by(Team.slug)))
        agents = list(session.scalars(select(Agent).where(Agent.is_active).order_by(Agent.name)))
        saved = list(
            session.scalars(
                select(SavedView)
                .where((SavedView.agent_id == agent.agent_id) | SavedView.agent_id.is_(None))
                .order_by(SavedView.name)
            )
        )
    return render(
        request,
        "agent/inbox.html",
        tickets=tickets,
        total=total,
        view=view,
        views=VIEWS,
        chosen=chosen,
        teams=teams,
        agents=agents,
        saved=saved,
        channels=[c.value for c in Channel],
        query_string=str(request.url.query),
        me=agent,
        sla_due=sla_due,
    )


@router.post("/agent/views")
def save_view(
    request: Request,
    services: ServicesDep,
    name: Annotated[str, Form(min_length=1, max_length=80)],
    query: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    with services.db.write() as session:
        session.add(SavedView(agent_id=agent.agent_id, name=name.strip(), filters={"query": query}))
    return RedirectResponse(f"/agent?{query}", status_code=303)


@router.post("/agent/bulk")
def bulk(
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    numbers: Annotated[list[str], Form()],
    status: Annotated[str, Form()] = "",
    assignee: Annotated[str, Form()] = "",
    tag: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    for number in numbers[:200]:
        with services.db.write() as session:
            ticket = access_ticket_for_agent(session, number, agent, Scope.TICKETS_WRITE)
            tags = sorted({*ticket.tags, tag.strip()}) if tag.strip() else None
            changes = FieldChanges(
                status=status or None,
                assignee_id=int(assignee) if assignee.isdigit() else None,
                tags=tags,
            )
            change_fields(session, ticket, changes, agent.actor())
    return RedirectResponse(f"/agent?{back}" if back else "/agent", status_code=303)


@router.get("/agent/events")
async def live_events(request: Request, services: ServicesDep) -> Response:
    """Server-sent events: every new ticket or message, so the inbox updates without reload."""
    try:
        await asyncio.to_thread(current_agent, request, services)
    except NotAuthenticated:
        return Response(status_code=401)
    return StreamingResponse(
        _event_stream(request, services),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _event_stream(request: Request, services: ServicesDep) -> AsyncIterator[str]:
    async with services.live.subscribe(AGENTS) as queue:
        yield ": connected\n\n"
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
