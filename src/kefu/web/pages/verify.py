"""Pages: /verify (anyone checks a channel), /portal/security (freeze, anti-phishing code)
and /security/freeze (the one-click link from security emails)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kefu.errors import KefuError, NotAuthenticated
from kefu.exchange.client import AccountFacts
from kefu.exchange.http import exchange_client
from kefu.ingest.inbound import Trust
from kefu.store.models import Customer
from kefu.trust.anti_phishing import set_anti_phishing_code
from kefu.trust.freeze_link import FreezeLinkError, check_freeze_link, freeze_by_link
from kefu.trust.normalize import Kind
from kefu.trust.playbooks import emergency_freeze
from kefu.trust.registry import load_registry
from kefu.trust.verifier import verify
from kefu.web.api.v1.trust import check_verify_rate, verdict_out
from kefu.web.csrf import check_csrf
from kefu.web.deps import CustomerPrincipal, ServicesDep, current_customer
from kefu.web.language import request_language
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
KINDS = [kind.value for kind in Kind]


@router.get("/verify", response_class=HTMLResponse)
def verify_page(request: Request, services: ServicesDep, q: str = "", kind: str = "") -> Response:
    verdict = None
    if q.strip():
        check_verify_rate(request)
        hint = Kind(kind) if kind in KINDS else None
        result = verify(q[:2000], load_registry(services), hint)
        verdict = verdict_out(result, request_language(request))
    return render(request, "trust/verify.html", q=q, kind=kind, kinds=KINDS, verdict=verdict)


@router.get("/portal/security", response_class=HTMLResponse)
def security_page(request: Request, services: ServicesDep) -> Response:
    customer = _customer_or_none(request, services)
    if customer is None:
        return RedirectResponse("/portal/login", status_code=303)
    verified = customer.sender.trust is Trust.VERIFIED and bool(customer.sender.uid)
    return render(
        request,
        "trust/security.html",
        verified=verified,
        account=_account_facts(services, customer) if verified else None,
        code=_current_code(services, customer),
        saved=request.query_params.get("saved") == "1",
        submission_id=uuid.uuid4().hex,
    )


@router.post("/portal/security/freeze", response_class=HTMLResponse)
def freeze_from_portal(
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    submission_id: FormText,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(request, csrf)
    customer = current_customer(request, services)
    lang = request_language(request)
    outcome = emergency_freeze(
        services, customer.sender, note=note, key=f"portal-{submission_id[:64]}", language=lang
    )
    return render(request, "trust/freeze_done.html", outcome=outcome)


@router.get("/security/freeze", response_class=HTMLResponse)
def freeze_link_page(request: Request, services: ServicesDep, t: str = "") -> Response:
    """Confirmation only: mail scanners open links, so a GET never freezes."""
    try:
        check_freeze_link(services, t)
    except FreezeLinkError as problem:
        return _freeze_link_problem(request, problem)
    return render(request, "trust/freeze_link.html", token=t, problem=None)


@router.post("/security/freeze", response_class=HTMLResponse)
def freeze_by_link_page(
    request: Request, services: ServicesDep, csrf: FormText, t: FormText
) -> Response:
    check_csrf(request, csrf)
    try:
        outcome = freeze_by_link(services, t, request_language(request))
    except FreezeLinkError as problem:
        return _freeze_link_problem(request, problem)
    return render(request, "trust/freeze_done.html", outcome=outcome)


def _freeze_link_problem(request: Request, problem: FreezeLinkError) -> Response:
    status = 409 if problem.problem == "used" else 400
    return render(
        request, "trust/freeze_link.html", status_code=status, token="", problem=problem.problem
    )


@router.post("/portal/security/anti-phishing-code")
def anti_phishing_from_portal(
    request: Request, services: ServicesDep, csrf: FormText, code: FormText
) -> Response:
    check_csrf(request, csrf)
    customer = current_customer(request, services)
    set_anti_phishing_code(services, customer.sender, code, request_language(request))
    return RedirectResponse("/portal/security?saved=1", status_code=303)


def _customer_or_none(request: Request, services: ServicesDep) -> CustomerPrincipal | None:
    try:
        return current_customer(request, services)
    except NotAuthenticated:
        return None


def _account_facts(services: ServicesDep, customer: CustomerPrincipal) -> AccountFacts | None:
    """Live facts for the page; the page still works (freeze included) if the exchange is down."""
    try:
        with exchange_client(services.settings) as client:
            return client.account_facts(customer.sender.uid or "")
    except KefuError:
        return None


def _current_code(services: ServicesDep, customer: CustomerPrincipal) -> str | None:
    if customer.customer_id is None:
        return None
    with services.db.read() as session:
        return session.scalar(
            select(Customer.anti_phishing_code).where(Customer.id == customer.customer_id)
        )
