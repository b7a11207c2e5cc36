"""Agent sign-in: password, then TOTP (enrolment by QR code on first sign-in), and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from kefu.auth.agents import check_password, check_totp, end_session, start_session
from kefu.auth.lockout import LockedOut, LockoutPolicy, clear_failures, locked_for, record_failure
from kefu.auth.totp import provisioning_uri, qr_svg
from kefu.errors import NotAuthenticated
from kefu.store.models.base import utcnow
from kefu.web.csrf import check_csrf
from kefu.web.deps import AGENT_COOKIE, ServicesDep, optional_agent
from kefu.web.pages.render import render
from kefu.web.ratelimits import check_login_rate
from kefu.work.presence import set_presence

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


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
    check_login_rate(request, services, email)
    policy = LockoutPolicy.from_settings(services.settings)
    with services.db.write() as session:
        locked = locked_for(session, email)
        if not locked:
            return _sign_in(request, session, policy, email, password, code)
    raise LockedOut(locked)  # after the commit: the refusal stays in the audit log


def _sign_in(
    request: Request, session: Session, policy: LockoutPolicy, email: str, password: str, code: str
) -> Response:
    try:
        agent = check_password(session, email, password)
    except NotAuthenticated:
        record_failure(session, email, "password", policy)
        return _login_failed(request)
    if not agent.totp_confirmed and not code:
        # Password proven: now, and only now, show the secret to enrol.
        uri = provisioning_uri(agent.totp_secret, agent.email)
        enrol = {"qr": qr_svg(uri), "secret": agent.totp_secret, "email": agent.email}
        return render(request, "agent/login.html", error=None, enrol=enrol)
    try:
        check_totp(session, agent, code)
    except NotAuthenticated:
        record_failure(session, agent.email, "totp", policy)
        return _login_failed(request)  # committed by the caller: the failure is kept
    clear_failures(session, agent.id)
    token = start_session(session, agent)
    set_presence(session, agent.id, "online", utcnow())
    response = RedirectResponse("/agent", status_code=303)
    response.set_cookie(
        AGENT_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        max_age=12 * 3600,
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.post("/agent/logout")
def logout(request: Request, services: ServicesDep, csrf: FormText) -> Response:
    check_csrf(request, csrf)
    token = request.cookies.get(AGENT_COOKIE)
    agent = optional_agent(request, services)
    if token:
        with services.db.write() as session:
            end_session(session, token)
            if agent is not None and agent.agent_id is not None:
                set_presence(session, agent.agent_id, "offline", utcnow())
    response = RedirectResponse("/agent/login", status_code=303)
    response.delete_cookie(AGENT_COOKIE)
    return response


def _login_failed(request: Request) -> Response:
    return render(
        request, "agent/login.html", status_code=401, error="error.login_failed", enrol=None
    )
