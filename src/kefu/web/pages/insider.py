"""The admins' unusual-access page: open alerts, and lifting a pause after review."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Role
from kefu.errors import Forbidden
from kefu.insider.access import open_alerts, review_alert
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent, optional_agent
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
REVIEWERS = (Role.ADMIN.value, Role.SECURITY.value)


def _reviewer(request: Request, services: ServicesDep) -> AgentPrincipal:
    agent = current_agent(request, services)
    if agent.role not in REVIEWERS:
        raise Forbidden()
    return agent


@router.get("/agent/admin/insider", response_class=HTMLResponse)
def alerts_page(request: Request, services: ServicesDep) -> Response:
    if optional_agent(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    me = _reviewer(request, services)
    with services.db.read() as session:
        alerts = open_alerts(session)
    threshold = services.settings.insider_view_threshold
    return render(request, "agent/insider.html", alerts=alerts, threshold=threshold, me=me)


@router.post("/agent/admin/insider/{alert_id}/review")
def review(
    alert_id: int,
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    check_csrf(request, csrf)
    agent = _reviewer(request, services)
    with services.db.write() as session:
        review_alert(session, alert_id, agent, note.strip())
    return RedirectResponse("/agent/admin/insider", status_code=303)
