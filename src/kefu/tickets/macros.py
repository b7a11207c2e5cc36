"""Macros: canned replies in both languages, filled in for the ticket at hand."""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor
from kefu.errors import Conflict, UserError
from kefu.store.models import Agent, Customer, Macro, Message, Ticket
from kefu.tickets.actions import FieldChanges, add_agent_message, change_fields

VARIABLES = frozenset({"customer_name", "ticket_number", "agent_name", "subject"})


@dataclass(frozen=True)
class MacroInput:
    name: str
    body_zh: str
    body_en: str
    status: str | None = None
    tags: tuple[str, ...] = ()


def check_macro_name_free(session: Session, name: str) -> None:
    """Macro names are unique: a taken one is a 409, not a failed insert."""
    if session.scalar(select(Macro.id).where(Macro.name == name)) is not None:
        raise Conflict()


def check_macro(data: MacroInput) -> None:
    """Both languages present and only known `{variables}`; raise UserError otherwise."""
    if not data.name.strip() or not data.body_zh.strip() or not data.body_en.strip():
        raise UserError("workspace.macro_both_languages", code="validation_error")
    for body in (data.body_zh, data.body_en):
        try:
            names = {field for _, field, _, _ in Formatter().parse(body) if field}
        except ValueError:
            raise UserError(
                "workspace.macro_bad_variable", code="validation_error", name="{"
            ) from None
        unknown = names - VARIABLES
        if unknown:
            raise UserError(
                "workspace.macro_bad_variable", code="validation_error", name=sorted(unknown)[0]
            )


def render_macro(
    session: Session,
    macro: Macro,
    ticket: Ticket,
    agent_id: int | None,
    customer_name: str | None = None,
) -> str:
    """The macro's text; `customer_name` overrides the stored name (a masked preview)."""
    customer = session.get(Customer, ticket.customer_id)
    agent = session.get(Agent, agent_id) if agent_id else None
    body = macro.body_zh if ticket.language == "zh-Hans" else macro.body_en
    fallback = "您好" if ticket.language == "zh-Hans" else "there"
    name = customer_name if customer_name is not None else (customer.name if customer else "")
    return body.format(
        customer_name=name or fallback,
        ticket_number=ticket.number,
        agent_name=agent.name if agent else "",
        subject=ticket.subject,
    )


def apply_macro(session: Session, macro: Macro, ticket: Ticket, actor: Actor) -> Message:
    """Reply with the macro in the ticket's language and apply its field changes."""
    body = render_macro(session, macro, ticket, actor.id if actor.kind == "agent" else None)
    message = add_agent_message(session, ticket, actor, body, internal=False)
    actions = macro.actions or {}
    changes = FieldChanges(
        status=actions.get("status"),
        tags=sorted({*ticket.tags, *actions.get("tags", [])}) if actions.get("tags") else None,
    )
    change_fields(session, ticket, changes, actor)
    return message
