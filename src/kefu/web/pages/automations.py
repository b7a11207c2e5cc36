"""Automation rules for admins: list, create, switch on/off, and a dry-run of each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from kefu.audit import record_event
from kefu.auth.roles import Role
from kefu.errors import Forbidden, NotFound
from kefu.store.models import AutomationRule, Macro
from kefu.store.models.base import utcnow
from kefu.web.csrf import check_csrf
from kefu.web.deps import ServicesDep, current_agent
from kefu.web.pages.render import render
from kefu.work.automations import RuleInput, check_rule, matching_tickets

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def _admin(request: Request, services: ServicesDep) -> Any:
    me = current_agent(request, services)
    if me.role != Role.ADMIN:
        raise Forbidden()
    return me


@router.get("/agent/admin/automations", response_class=HTMLResponse)
def rules_page(request: Request, services: ServicesDep) -> Response:
    me = _admin(request, services)
    dry_run = request.query_params.get("dry_run", "")
    with services.db.read() as session:
        rules = list(session.scalars(select(AutomationRule).order_by(AutomationRule.id)))
        macros = list(session.scalars(select(Macro.name).order_by(Macro.name)))
        preview = None
        if dry_run.isdigit():
            rule = session.get(AutomationRule, int(dry_run))
            if rule is None:
                raise NotFound()
            preview = (rule, matching_tickets(session, rule, utcnow()))
    return render(
        request, "agent/automations.html", me=me, rules=rules, macros=macros, preview=preview
    )


@router.post("/agent/admin/automations")
def create_rule(
    request: Request,
    services: ServicesDep,
    csrf: Text,
    name: Text,
    kind: Text,
    status: Text = "",
    priority: Text = "",
    category: Text = "",
    channel: Text = "",
    tag: Text = "",
    idle_hours: Text = "",
    set_status: Text = "",
    add_tag: Text = "",
    macro: Text = "",
    note: Text = "",
) -> Response:
    check_csrf(request, csrf)
    me = _admin(request, services)
    conditions = _given(
        status=status,
        priority=priority,
        category=category,
        channel=channel,
        tag=tag,
        idle_hours=float(idle_hours) if idle_hours.strip() else None,
    )
    actions = _given(set_status=set_status, add_tag=add_tag, macro=macro, note=note)
    rule = RuleInput(name.strip(), kind, conditions, actions)
    check_rule(rule)
    with services.db.write() as session:
        session.add(
            AutomationRule(name=rule.name, kind=rule.kind, conditions=conditions, actions=actions)
        )
        record_event(session, "automation.created", me.actor(), name=rule.name)
    return RedirectResponse("/agent/admin/automations", status_code=303)


@router.post("/agent/admin/automations/{rule_id}/active")
def switch(
    rule_id: int, request: Request, services: ServicesDep, csrf: Text, active: Text
) -> Response:
    check_csrf(request, csrf)
    me = _admin(request, services)
    with services.db.write() as session:
        rule = session.get(AutomationRule, rule_id)
        if rule is None:
            raise NotFound()
        rule.is_active = active == "1"
        record_event(
            session, "automation.switched", me.actor(), rule=rule_id, active=rule.is_active
        )
    return RedirectResponse("/agent/admin/automations", status_code=303)


def _given(**values: object) -> dict[str, object]:
    return {key: value for key, value in values.items() if value not in (None, "")}
