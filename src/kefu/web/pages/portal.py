"""The customer portal: sign in, submit a ticket, my tickets, one ticket."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.audit import Actor
from kefu.auth.customer_tokens import verify_identity_token
from kefu.categories import CATEGORY_BY_SLUG
from kefu.customers.signin import customer_for_identity, redeem_magic_link, send_magic_link
from kefu.errors import NotAuthenticated, UserError
from kefu.ingest.inbound import Channel, Inbound, InboundAttachment
from kefu.ingest.pipeline import ingest
from kefu.kb.signals import form_ref, record_form_sent
from kefu.store.models import Ticket
from kefu.tickets.access import access_ticket_for_customer
from kefu.tickets.actions import set_status
from kefu.tickets.queries import customer_tickets, timeline
from kefu.tickets.status import Status
from kefu.web.csrf import check_csrf
from kefu.web.deps import (
    CUSTOMER_COOKIE,
    CustomerPrincipal,
    ServicesDep,
    current_customer,
    customer_cookie_value,
)
from kefu.web.language import LANG_COOKIE, request_language
from kefu.web.pages.render import render
from kefu.web.ratelimits import check_ticket_rate
from kefu.work.policies import promise_text, reply_promise

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return render(request, "home.html")


@router.get("/lang/{code}")
def switch_language(code: str, request: Request) -> Response:
    target = request.query_params.get("next", "/")
    # Only a path on this site: "//host" and "/\\host" are other sites to a browser.
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    response = RedirectResponse(target if local else "/", status_code=303)
    response.set_cookie(
        LANG_COOKIE,
        "en" if code == "en" else "zh-Hans",
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


@router.get("/portal/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return render(request, "portal/login.html", sent=False)


@router.post("/portal/login", response_class=HTMLResponse)
def login_send_link(
    request: Request, services: ServicesDep, email: FormText, csrf: FormText
) -> Response:
    check_csrf(request, csrf)
    if "@" not in email or len(email) > 320:
        raise UserError("error.validation", code="validation_error", field="email", detail=email)
    with services.db.write() as session:
        send_magic_link(session, email, request_language(request))
    return render(request, "portal/login.html", sent=True)


@router.get("/portal/link/{token}")
def login_with_link(token: str, services: ServicesDep) -> Response:
    with services.db.write() as session:
        customer = redeem_magic_link(session, token)
    return _signed_in(services, customer.id)


@router.get("/portal/sso")
def login_with_exchange_token(token: str, services: ServicesDep) -> Response:
    """The exchange links here with its signed identity token: the customer is signed in."""
    identity = verify_identity_token(token, services.settings.resolved_identity_secret())
    with services.db.write() as session:
        customer = customer_for_identity(session, identity)
    return _signed_in(services, customer.id)


@router.get("/portal/logout")
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(CUSTOMER_COOKIE)
    return response


@router.get("/portal/tickets", response_class=HTMLResponse)
def my_tickets(request: Request, services: ServicesDep) -> Response:
    customer = _customer_or_login(request, services)
    if customer is None:
        return RedirectResponse("/portal/login", status_code=303)
    with services.db.read() as session:
        tickets = customer_tickets(session, customer.customer_id)
    return render(
        request, "portal/tickets.html", tickets=tickets, created=request.query_params.get("created")
    )


@router.get("/portal/tickets/new", response_class=HTMLResponse)
def new_ticket_form(request: Request, services: ServicesDep) -> Response:
    if _customer_or_login(request, services) is None:
        return RedirectResponse("/portal/login", status_code=303)
    submission_id = uuid.uuid4().hex
    return render(
        request,
        "portal/new.html",
        submission_id=submission_id,
        form_ref=form_ref(submission_id, services.settings.resolved_secret_key()),
        limit=services.settings.max_attachments,
        selected=request.query_params.get("category", ""),
    )


@router.post("/portal/tickets/new")
async def submit_ticket(
    request: Request,
    services: ServicesDep,
    category: FormText,
    subject: FormText,
    description: FormText,
    submission_id: FormText,
    csrf: FormText,
    screenshots: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    check_csrf(request, csrf)
    customer = current_customer(request, services)
    check_ticket_rate(request, services, customer)
    if category not in CATEGORY_BY_SLUG:
        raise UserError("error.unknown_category", code="validation_error", category=category)
    if not subject.strip() or not description.strip():
        raise UserError("error.empty_message", code="validation_error")
    attachments = await _read_screenshots(services.settings.max_attachments, screenshots or [])
    inbound = Inbound(
        channel=Channel.WEB,
        sender=customer.sender,
        subject=subject.strip()[:200],
        body_text=description.strip(),
        category=category,
        # The form's own id: a double submit or a browser retry makes no second ticket.
        external_id=f"form:{customer.idempotency_scope}:{submission_id[:64]}",
        attachments=attachments,
    )
    receipt = ingest(services, inbound)
    with services.db.write() as session:
        record_form_sent(session, submission_id)  # its suggested articles did not deflect it
    return RedirectResponse(f"/portal/tickets/{receipt.ticket_number}?created=1", status_code=303)


@router.get("/portal/tickets/{number}", response_class=HTMLResponse)
def view_ticket(number: str, request: Request, services: ServicesDep) -> Response:
    customer = _customer_or_login(request, services)
    if customer is None:
        return RedirectResponse("/portal/login", status_code=303)
    with services.db.read() as session:
        ticket = access_ticket_for_customer(session, number, customer.customer_id or 0)
        entries = timeline(session, ticket.id, include_internal=False)
        duplicate = session.get(Ticket, ticket.duplicate_of_id) if ticket.duplicate_of_id else None
        if duplicate is not None and duplicate.status in ("solved", "closed"):
            duplicate = None
    created = request.query_params.get("created") == "1"
    return render(
        request,
        "portal/ticket.html",
        ticket=ticket,
        entries=entries,
        created=created,
        duplicate_of=duplicate,
        reply_id=uuid.uuid4().hex,
        promise=reply_promise(services, ticket) if created else None,
        promise_text=promise_text,
    )


@router.post("/portal/tickets/{number}/reply")
def reply(
    number: str,
    request: Request,
    services: ServicesDep,
    body: FormText,
    reply_id: FormText,
    csrf: FormText,
) -> Response:
    check_csrf(request, csrf)
    customer = current_customer(request, services)
    inbound = Inbound(
        channel=Channel.WEB,
        sender=customer.sender,
        body_text=body,
        ticket_number=number,
        external_id=f"form:{customer.idempotency_scope}:{reply_id[:64]}",
    )
    ingest(services, inbound)
    return RedirectResponse(f"/portal/tickets/{number}", status_code=303)


@router.post("/portal/tickets/{number}/solve")
def solve(number: str, request: Request, services: ServicesDep, csrf: FormText) -> Response:
    check_csrf(request, csrf)
    customer = current_customer(request, services)
    with services.db.write() as session:
        ticket = access_ticket_for_customer(session, number, customer.customer_id or 0)
        set_status(session, ticket, Status.SOLVED.value, Actor("customer", customer.customer_id))
    return RedirectResponse(f"/portal/tickets/{number}", status_code=303)


def _customer_or_login(request: Request, services: ServicesDep) -> CustomerPrincipal | None:
    try:
        return current_customer(request, services)
    except NotAuthenticated:
        return None


def _signed_in(services: ServicesDep, customer_id: int) -> Response:
    response = RedirectResponse("/portal/tickets", status_code=303)
    response.set_cookie(
        CUSTOMER_COOKIE,
        customer_cookie_value(services, customer_id),
        httponly=True,
        samesite="lax",
        max_age=7 * 24 * 3600,
        secure=services.settings.secure_cookies,
    )
    return response


async def _read_screenshots(limit: int, uploads: list[UploadFile]) -> tuple[InboundAttachment, ...]:
    files = [u for u in uploads if u.filename]
    if len(files) > limit:
        raise UserError("error.too_many_files", code="too_many_files", limit=limit)
    result = []
    for upload in files:
        data = await upload.read()
        if not data:
            continue
        result.append(
            InboundAttachment(
                filename=upload.filename or "screenshot",
                declared_type=upload.content_type or "application/octet-stream",
                data=data,
            )
        )
    return tuple(result)
