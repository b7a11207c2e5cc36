"""Guided forms as ticket creation with structured fields, and the email check, over REST."""

from __future__ import annotations

from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, Field

from kefu.errors import NotAuthenticated, UserError
from kefu.i18n import t
from kefu.ingest.inbound import Channel
from kefu.playbooks.email_check import EmailReport, raw_from_paste
from kefu.playbooks.email_report import check_and_report
from kefu.playbooks.forms import FieldError, Playbook, check_answers, find_playbook
from kefu.playbooks.tickets import check_may_file, file_playbook_ticket
from kefu.web.api.v1.schemas import StrictBody, TicketOut, ticket_out
from kefu.web.api.v1.trust import check_verify_rate
from kefu.web.deps import CustomerDep, CustomerPrincipal, LanguageDep, ServicesDep, current_customer

router = APIRouter(tags=["guided forms"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


class GuidedTicketCreate(StrictBody):
    fields: dict[str, str] = Field(max_length=20)
    language: Literal["zh-Hans", "en"] | None = None


class EmailCheckRequest(StrictBody):
    raw_email: str = Field(default="", max_length=250_000)
    headers: str = Field(default="", max_length=100_000)
    body: str = Field(default="", max_length=150_000)
    contact: str = Field(default="", max_length=320)


class CheckOut(BaseModel):
    code: str
    outcome: Literal["good", "bad", "unknown"]
    message: str


class EmailCheckOut(BaseModel):
    verdict: Literal["genuine", "fake", "cannot_tell"]
    verdict_label: str
    from_address: str
    subject: str
    checks: list[CheckOut]
    reported_ticket: str | None


@router.post("/api/v1/playbooks/{slug}/tickets", status_code=201, response_model=TicketOut)
def create_guided_ticket(
    slug: str,
    body: GuidedTicketCreate,
    customer: CustomerDep,
    services: ServicesDep,
    response: Response,
    lang: LanguageDep,
    idempotency_key: IdempotencyKey = None,
) -> TicketOut:
    """Open a ticket from a guided form's fields (`2fa-reset`, `large-withdrawal`,
    `trading-dispute`); 422 names the first field that is missing or malformed."""
    playbook = find_playbook(slug)
    check_may_file(playbook, customer.sender)
    values = _checked(playbook, body.fields, lang)
    key = f"guided:{customer.idempotency_scope}:{idempotency_key}" if idempotency_key else None
    receipt = file_playbook_ticket(
        services,
        playbook,
        customer.sender,
        values,
        channel=Channel.API,
        language=body.language or customer.sender.language or lang,
        external_id=key,
    )
    if receipt.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    assert receipt.ticket is not None
    return ticket_out(receipt.ticket, receipt.possible_duplicate_of)


@router.post("/api/v1/verify/email", response_model=EmailCheckOut)
async def check_email(
    body: EmailCheckRequest, request: Request, services: ServicesDep, lang: LanguageDep
) -> EmailCheckOut:
    """The verdict on a whole message (`raw_email`) or pasted `headers` (+ `body`); a fake
    one opens a ticket for the security team. A customer token also checks their code."""
    check_verify_rate(request)
    raw = _raw(body)
    customer = await anyio.to_thread.run_sync(_optional_customer, request, services)
    report, number = await anyio.to_thread.run_sync(
        lambda: check_and_report(
            services,
            raw,
            signed_in=customer.sender if customer else None,
            customer_id=customer.customer_id if customer else None,
            contact=body.contact,
            language=lang,
            channel=Channel.API,
        )
    )
    if not report.from_address:
        raise UserError("playbooks.email.no_from", code="validation_error")
    return email_check_out(report, number, lang)


def email_check_out(report: EmailReport, number: str | None, lang: str) -> EmailCheckOut:
    return EmailCheckOut(
        verdict=report.verdict.value,
        verdict_label=t(f"playbooks.email.verdict.{report.verdict.value}", lang),
        from_address=report.from_address,
        subject=report.subject,
        checks=[
            CheckOut(
                code=c.code,
                outcome=c.outcome,
                message=t(f"playbooks.check.{c.code}", lang, **c.params),
            )
            for c in report.checks
        ],
        reported_ticket=number,
    )


def _checked(playbook: Playbook, fields: dict[str, str], lang: str) -> dict[str, str]:
    unknown = sorted(set(fields) - {f.name for f in playbook.fields})
    if unknown:
        raise UserError("error.unknown_field", code="unknown_field", field=unknown[0][:40])
    values, errors = check_answers(playbook, fields)
    if errors:
        raise _field_error(errors[0], lang)
    return values


def _field_error(error: FieldError, lang: str) -> UserError:
    label = t(f"playbooks.field.{error.field}", lang)
    failure = UserError(error.key, code="validation_error", field=label, limit=error.limit)
    failure.status = 422
    return failure


def _raw(body: EmailCheckRequest) -> bytes:
    if body.raw_email.strip():
        return body.raw_email.encode("utf-8", "surrogateescape")
    if body.headers.strip():
        return raw_from_paste(body.headers, body.body)
    raise UserError("playbooks.email.nothing", code="validation_error")


def _optional_customer(request: Request, services: ServicesDep) -> CustomerPrincipal | None:
    try:
        return current_customer(request, services)
    except NotAuthenticated:
        return None
