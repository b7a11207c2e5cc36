"""Pages: the portal's guided forms (/portal/guided/…) and the email check (/verify/email)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.errors import NotAuthenticated, TooLarge
from kefu.ingest.inbound import Channel, Trust
from kefu.playbooks.email_check import EmailReport, raw_from_paste
from kefu.playbooks.email_report import MAX_EMAIL_BYTES, check_and_report
from kefu.playbooks.forms import FieldError, Playbook, check_answers, find_playbook
from kefu.playbooks.tickets import file_playbook_ticket
from kefu.services import Services
from kefu.web.api.v1.trust import check_verify_rate
from kefu.web.csrf import check_csrf
from kefu.web.deps import CustomerPrincipal, ServicesDep, current_customer
from kefu.web.language import request_language
from kefu.web.pages.portal import _read_screenshots
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]


# guided forms ----------------------------------------------------------------------------


@router.get("/portal/guided/{slug}", response_class=HTMLResponse)
def guided_form(slug: str, request: Request, services: ServicesDep) -> Response:
    playbook = find_playbook(slug)
    customer = _customer_or_none(request, services)
    if customer is None:
        return RedirectResponse("/portal/login", status_code=303)
    prefill = {"account": customer.sender.uid or customer.sender.email or ""}
    return _render_form(request, services, playbook, customer, prefill, [])


@router.post("/portal/guided/{slug}")
async def submit_guided_form(
    slug: str,
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    submission_id: FormText,
    screenshots: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    check_csrf(request, csrf)
    playbook = find_playbook(slug)
    customer = current_customer(request, services)
    form = await request.form()
    answers = {f.name: str(form.get(f.name) or "") for f in playbook.fields}
    values, errors = check_answers(playbook, answers)
    if errors:
        return _render_form(request, services, playbook, customer, answers, errors)
    limit = services.settings.max_attachments
    attachments = await _read_screenshots(limit, screenshots or []) if playbook.screenshots else ()
    receipt = file_playbook_ticket(
        services,
        playbook,
        customer.sender,
        values,
        channel=Channel.WEB,
        language=request_language(request),
        external_id=f"guided:{customer.idempotency_scope}:{submission_id[:64]}",
        attachments=attachments,
    )
    return RedirectResponse(f"/portal/tickets/{receipt.ticket_number}?created=1", status_code=303)


def _render_form(
    request: Request,
    services: Services,
    playbook: Playbook,
    customer: CustomerPrincipal,
    values: dict[str, str],
    errors: list[FieldError],
) -> Response:
    blocked = playbook.needs_verified and customer.sender.trust is not Trust.VERIFIED
    return render(
        request,
        "portal/guided.html",
        status_code=422 if errors else 200,
        playbook=playbook,
        values=values,
        errors=errors,
        error_for={e.field: e for e in errors},
        blocked=blocked,
        submission_id=uuid.uuid4().hex,
        limit=services.settings.max_attachments,
    )


# the email check -------------------------------------------------------------------------


@router.get("/verify/email", response_class=HTMLResponse)
def email_check_page(request: Request, services: ServicesDep) -> Response:
    signed_in = _customer_or_none(request, services) is not None
    return render(request, "trust/verify_email.html", signed_in=signed_in, report=None)


@router.post("/verify/email", response_class=HTMLResponse)
async def check_email_from_page(
    request: Request,
    services: ServicesDep,
    csrf: FormText,
    headers: Annotated[str, Form(max_length=200_000)] = "",
    body: Annotated[str, Form(max_length=500_000)] = "",
    contact: Annotated[str, Form(max_length=320)] = "",
    eml: Annotated[UploadFile | None, File()] = None,
) -> Response:
    check_csrf(request, csrf)
    check_verify_rate(request)
    customer = _customer_or_none(request, services)
    raw = await _uploaded(eml) or (raw_from_paste(headers, body) if headers.strip() else b"")
    if not raw:
        return _render_check(request, customer, None, "playbooks.email.nothing", 422)
    language = request_language(request)
    report, number = check_and_report(
        services,
        raw,
        signed_in=customer.sender if customer else None,
        customer_id=customer.customer_id if customer else None,
        contact=contact,
        language=language,
        channel=Channel.WEB,
    )
    if not report.from_address:
        return _render_check(request, customer, None, "playbooks.email.no_from", 422)
    return _render_check(request, customer, report, None, 200, number)


def _render_check(
    request: Request,
    customer: CustomerPrincipal | None,
    report: EmailReport | None,
    error: str | None,
    status: int,
    ticket_number: str | None = None,
) -> Response:
    return render(
        request,
        "trust/verify_email.html",
        status_code=status,
        signed_in=customer is not None,
        report=report,
        error=error,
        ticket_number=ticket_number,
    )


async def _uploaded(upload: UploadFile | None) -> bytes:
    if upload is None or not upload.filename:
        return b""
    data = await upload.read(MAX_EMAIL_BYTES + 1)
    if len(data) > MAX_EMAIL_BYTES:
        raise TooLarge("error.too_large", limit="2 MiB")
    return data


def _customer_or_none(request: Request, services: Services) -> CustomerPrincipal | None:
    try:
        return current_customer(request, services)
    except NotAuthenticated:
        return None
