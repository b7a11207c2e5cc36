"""Request dependencies: the services, who the caller is, and their language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import select

from kefu.auth.agents import AgentPrincipal, principal_for_api_token, principal_for_session
from kefu.auth.customer_tokens import verify_identity_token
from kefu.auth.secrets import sign_value, unsign_value
from kefu.errors import NotAuthenticated
from kefu.ingest.inbound import Sender, Trust
from kefu.services import Services
from kefu.store.models import Customer
from kefu.web.csrf import check_csrf
from kefu.web.language import request_language

CUSTOMER_COOKIE = "kefu_customer"
AGENT_COOKIE = "kefu_agent"
API_TOKEN_PREFIX = "kf_"  # noqa: S105 - a prefix, not a secret
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
LanguageDep = Annotated[str, Depends(request_language)]


@dataclass(frozen=True)
class CustomerPrincipal:
    """`customer_id` is None for a verified customer kefu has not seen yet, and for a
    token-authenticated call that has not needed it (see `resolve_customer_id`)."""

    customer_id: int | None
    sender: Sender
    resolved: bool = True

    @property
    def idempotency_scope(self) -> str:
        return self.sender.uid or f"c{self.customer_id}"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def current_customer_async(request: Request, services: ServicesDep) -> CustomerPrincipal:
    """Token callers are checked on the event loop without touching the database;
    cookie callers need one lookup, done in a worker thread."""
    if _bearer(request) is not None:
        return _customer_from_token(request, services, resolve=False)
    return await anyio.to_thread.run_sync(current_customer, request, services)


def current_customer(request: Request, services: Services) -> CustomerPrincipal:
    """A customer proven by the exchange-signed token, or by the portal's signed cookie."""
    if _bearer(request) is not None:
        return _customer_from_token(request, services, resolve=True)
    cookie = request.cookies.get(CUSTOMER_COOKIE)
    if cookie:
        _check_cookie_csrf(request)
    signed_id = unsign_value(cookie, services.settings.resolved_secret_key()) if cookie else None
    if signed_id and signed_id.isdigit():
        with services.db.read() as session:
            customer = session.get(Customer, int(signed_id))
            if customer is not None:
                return _principal(customer, Trust(customer.verification))
    raise NotAuthenticated()


def _customer_from_token(request: Request, services: Services, resolve: bool) -> CustomerPrincipal:
    token = _bearer(request) or ""
    identity = verify_identity_token(token, services.settings.resolved_identity_secret())
    sender = Sender(
        trust=Trust.VERIFIED,
        uid=identity.uid,
        email=identity.email,
        name=identity.name,
        language=identity.language,
    )
    principal = CustomerPrincipal(customer_id=None, sender=sender, resolved=False)
    return resolve_customer_id(services, principal) if resolve else principal


def resolve_customer_id(services: Services, principal: CustomerPrincipal) -> CustomerPrincipal:
    """The principal with its customer id looked up (blocking: call from a thread)."""
    if principal.resolved:
        return principal
    with services.db.read() as session:
        customer_id = session.scalar(
            select(Customer.id).where(Customer.uid == principal.sender.uid)
        )
    return CustomerPrincipal(customer_id=customer_id, sender=principal.sender)


def _check_cookie_csrf(request: Request) -> None:
    """A browser sends cookies to any site's form; unsafe API calls must prove their origin."""
    if request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
        check_csrf(request, request.headers.get("x-csrf-token"))


def customer_cookie_value(services: Services, customer_id: int) -> str:
    return sign_value(str(customer_id), services.settings.resolved_secret_key())


def _principal(customer: Customer, trust: Trust) -> CustomerPrincipal:
    sender = Sender(
        trust=trust,
        uid=customer.uid,
        email=customer.email,
        name=customer.name or None,
        language=None,
    )
    return CustomerPrincipal(customer_id=customer.id, sender=sender)


def current_agent(request: Request, services: ServicesDep) -> AgentPrincipal:
    """An agent signed in to the web UI, or an integration's `kf_…` API token."""
    token = _bearer(request)
    with services.db.read() as session:
        if token is not None and token.startswith(API_TOKEN_PREFIX):
            principal = principal_for_api_token(session, token)
        elif (cookie := request.cookies.get(AGENT_COOKIE)) is not None:
            _check_cookie_csrf(request)
            principal = principal_for_session(session, cookie)
        else:
            principal = None
    if principal is None:
        raise NotAuthenticated()
    return principal


def optional_agent(request: Request, services: Services) -> AgentPrincipal | None:
    """The signed-in agent, or None (pages redirect to the sign-in page)."""
    try:
        return current_agent(request, services)
    except NotAuthenticated:
        return None


CustomerDep = Annotated[CustomerPrincipal, Depends(current_customer_async)]
AgentDep = Annotated[AgentPrincipal, Depends(current_agent)]
