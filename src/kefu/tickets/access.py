"""The only way a view gets a Ticket: with the permission check built in.

A customer asking for someone else's ticket gets NotFound (404), exactly as for a
ticket that does not exist, so numbers cannot be probed.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kefu.auth.agents import AgentPrincipal
from kefu.auth.roles import Scope
from kefu.errors import Forbidden, NotFound
from kefu.store.models import Ticket
from kefu.tickets.numbers import ticket_id_from_number


def access_ticket_for_customer(session: Session, number: str, customer_id: int) -> Ticket:
    ticket = _by_number(session, number)
    if ticket is None:
        raise NotFound("error.ticket_not_found", number=number)
    if ticket.customer_id != customer_id:
        raise NotFound("error.ticket_not_found", number=number)
    return ticket


def access_ticket_for_agent(
    session: Session, number: str, principal: AgentPrincipal, scope: Scope
) -> Ticket:
    check_scope(principal, scope)
    ticket = _by_number(session, number)
    if ticket is None:
        raise NotFound("error.ticket_not_found", number=number)
    return ticket


def check_scope(principal: AgentPrincipal, scope: Scope) -> None:
    if scope.value not in principal.scopes:
        raise Forbidden("error.scope_missing", scope=scope.value)


def _by_number(session: Session, number: str) -> Ticket | None:
    ticket_id = ticket_id_from_number(number)
    return session.get(Ticket, ticket_id) if ticket_id is not None else None
