"""The security team's page: freeze an account, request an unfreeze, approve another's request."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.i18n import t
from kefu.trust.playbooks import check_security_agent, security_freeze
from kefu.trust.unfreeze import approve_unfreeze, list_awaiting, request_unfreeze
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent, optional_agent
from kefu.web.language import request_language
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
Reason = Annotated[str, Form(max_length=500)]
TicketNumber = Annotated[str, Form(max_length=20)]


@router.get("/agent/security", response_class=HTMLResponse)
def security_desk(request: Request, services: ServicesDep) -> Response:
    if optional_agent(request, services) is None:
        return RedirectResponse("/agent/login", status_code=303)
    return _desk(request, services, notice=None)


@router.post("/agent/security/freeze", response_class=HTMLResponse)
def freeze_from_desk(
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    uid: Annotated[str, Form(max_length=64)],
    reason: Reason,
    submission_id: FormText,
    ticket: TicketNumber = "",
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    outcome = security_freeze(
        services,
        agent,
        uid.strip(),
        reason=reason,
        key=f"desk-{submission_id[:64]}",
        ticket_number=ticket.strip() or None,
    )
    lang = request_language(request)
    notice = t(f"trust.agent_freeze_{_shown_status(outcome.status)}", lang, uid=outcome.uid)
    return _desk(request, services, notice=notice)


@router.post("/agent/security/unfreeze-requests", response_class=HTMLResponse)
def request_unfreeze_from_desk(
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    uid: Annotated[str, Form(max_length=64)],
    reason: Reason,
    submission_id: FormText,
    ticket: TicketNumber = "",
) -> Response:
    check_csrf(request, csrf)
    agent = current_agent(request, services)
    view = request_unfreeze(
        services,
        agent,
        uid.strip(),
        reason=reason,
        key=f"desk-{submission_id[:64]}",
        ticket_number=ticket.strip() or None,
    )
    notice = t("trust.unfreeze_awaiting", request_language(request), id=view.request_id)
    return _desk(request, services, notice=notice)


@router.post("/agent/security/unfreeze-requests/{request_id}/approve", response_class=HTMLResponse)
def approve_from_desk(
    request_id: int, request: Request, services: ServicesDep, csrf: FormText
) -> Response:
    check_csrf(request, csrf)
    view = approve_unfreeze(services, current_agent(request, services), request_id)
    status = _shown_status(view.action.status if view.action else "pending")
    notice = t(f"trust.unfreeze_{status}", request_language(request), uid=view.uid)
    return _desk(request, services, notice=notice)


def _desk(request: Request, services: ServicesDep, *, notice: str | None) -> Response:
    agent = current_agent(request, services)
    check_security_agent(agent)
    return render(
        request,
        "agent/security.html",
        me=agent,
        awaiting=list_awaiting(services, agent),
        notice=notice,
        submission_id=uuid.uuid4().hex,
    )


def _shown_status(status: str) -> str:
    return status if status in ("done", "pending") else "failed"
