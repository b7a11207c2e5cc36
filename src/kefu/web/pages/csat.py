"""The satisfaction survey page the customer's link opens, and its admin settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.audit import record_event
from kefu.auth.roles import Role
from kefu.errors import Forbidden
from kefu.ingest.inbound import Channel
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent
from kefu.web.pages.render import render
from kefu.work.csat import open_survey, record_rating, survey_settings

router = APIRouter(include_in_schema=False)


@router.get("/csat/{token}", response_class=HTMLResponse)
def survey_page(token: str, request: Request, services: ServicesDep) -> Response:
    with services.db.write() as session:
        survey = open_survey(session, services, token)
    return render(request, "csat/survey.html", survey=survey, token=token)


@router.post("/csat/{token}", response_class=HTMLResponse)
def answer(
    token: str,
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    score: Annotated[int, Form()],
    comment: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(request, csrf)
    with services.db.write() as session:
        record_rating(session, services, token, score, comment)
        survey = open_survey(session, services, token)
    return render(request, "csat/survey.html", survey=survey, token=token)


@router.get("/agent/admin/csat", response_class=HTMLResponse)
def settings_page(request: Request, services: ServicesDep) -> Response:
    me = current_agent(request, services)
    if me.role != Role.ADMIN:
        raise Forbidden()
    with services.db.write() as session:
        row = survey_settings(session)
        values = (row.question_zh, row.question_en, list(row.disabled_channels))
    return render(
        request, "csat/settings.html", me=me, values=values, channels=[c.value for c in Channel]
    )


@router.post("/agent/admin/csat")
def save_settings(
    request: Request,
    services: ServicesDep,
    csrf: Annotated[str, Form()],
    question_zh: Annotated[str, Form(min_length=2, max_length=300)],
    question_en: Annotated[str, Form(min_length=2, max_length=300)],
    disabled: Annotated[list[str] | None, Form()] = None,
) -> Response:
    check_csrf(request, csrf)
    me = current_agent(request, services)
    if me.role != Role.ADMIN:
        raise Forbidden()
    channels = {c.value for c in Channel}
    with services.db.write() as session:
        row = survey_settings(session)
        row.question_zh, row.question_en = question_zh.strip(), question_en.strip()
        row.disabled_channels = sorted({c for c in disabled or [] if c in channels})
        record_event(session, "csat.settings_changed", me.actor(), disabled=row.disabled_channels)
    return RedirectResponse("/agent/admin/csat", status_code=303)
