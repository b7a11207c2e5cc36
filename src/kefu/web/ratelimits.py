"""Rate limits at the web edge: which keys each kind of request is counted under.

The facility itself is `kefu.ratelimit`; here each request kind names its limits, per
client address and per identity. Over a limit → `RateLimited` → 429 with Retry-After
(JSON {code, message} for the API, the error page for pages).
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from kefu.services import Services
from kefu.web.deps import CustomerPrincipal


def client_address(connection: HTTPConnection) -> str:
    """The peer address (behind a proxy, run uvicorn with --forwarded-allow-ips)."""
    return connection.client.host if connection.client else "unknown"


def check_login_rate(connection: HTTPConnection, services: Services, email: str) -> None:
    """Sign-in attempts per address and per account email (known or not)."""
    limits = services.limits
    message = "hardening.login_rate_limited"
    address = "ip:" + client_address(connection)
    services.limiter.check(limits.login_ip, address, message_key=message)
    account = "agent:" + email.strip().lower()
    services.limiter.check(limits.login_account, account, message_key=message)


def check_ticket_rate(
    connection: HTTPConnection, services: Services, customer: CustomerPrincipal
) -> None:
    """New tickets per address and per customer (API and portal share the counters)."""
    limits = services.limits
    message = "hardening.ticket_rate_limited"
    address = "ip:" + client_address(connection)
    services.limiter.check(limits.ticket_ip, address, message_key=message)
    identity = "customer:" + customer.idempotency_scope
    services.limiter.check(limits.ticket_customer, identity, message_key=message)
