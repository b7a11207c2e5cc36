"""The one-click "freeze my account" link in every security email kefu sends.

The token is `sign_value("freeze:{customer id}:{expiry}:{nonce}")` under the deployment's
secret key (the same signing as the portal cookie), valid for 72 hours. It is used once:
the nonce becomes the freeze's idempotency key, so the first POST freezes and opens the
urgent ticket, and every later one finds that action and is told the link was used.
Opening the link (GET) never freezes: mail scanners follow links.

Which emails carry it: the confirmation and every public reply of a ticket in category
`security` or on the security team (the security@ mailbox routes there), when the customer
could freeze at all (a verified identity with an exchange UID).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select

from kefu.auth.secrets import sign_value, unsign_value
from kefu.i18n import t
from kefu.ingest.inbound import Sender, Trust
from kefu.services import Services
from kefu.store.models import AccountAction, Customer, Team, Ticket
from kefu.store.models.base import utcnow
from kefu.trust.playbooks import ActionOutcome, emergency_freeze

LIFETIME = timedelta(hours=72)
SECURITY = "security"
PURPOSE = "freeze"


class FreezeLinkError(Exception):
    """Why a link cannot freeze: `invalid` (tampered), `expired`, `used` or `unverified`."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(problem)


@dataclass(frozen=True)
class FreezeLink:
    customer_id: int
    nonce: str

    @property
    def key(self) -> str:
        """The freeze's idempotency key: one freeze per link."""
        return f"link:{self.nonce}"


def mint_freeze_token(services: Services, customer_id: int, now: datetime | None = None) -> str:
    expires = int(((now or utcnow()) + LIFETIME).timestamp())
    value = f"{PURPOSE}:{customer_id}:{expires}:{secrets.token_urlsafe(12)}"
    return sign_value(value, services.settings.resolved_secret_key())


def read_freeze_token(services: Services, token: str) -> FreezeLink:
    """The link a token stands for; FreezeLinkError if tampered with or expired."""
    value = unsign_value(token, services.settings.resolved_secret_key()) or ""
    parts = value.split(":", 3)
    if len(parts) != 4 or parts[0] != PURPOSE or not parts[1].isdigit() or not parts[2].isdigit():
        raise FreezeLinkError("invalid")
    _, customer_id, expires, nonce = parts
    if int(expires) < utcnow().timestamp():
        raise FreezeLinkError("expired")
    return FreezeLink(int(customer_id), nonce)


def check_freeze_link(services: Services, token: str) -> tuple[FreezeLink, Sender]:
    """The link and the customer it freezes for, if it can still be used."""
    link = read_freeze_token(services, token)
    sender = _sender(services, link.customer_id)
    if sender.trust is not Trust.VERIFIED or not sender.uid:
        raise FreezeLinkError("unverified")
    if _used(services, sender.uid, link):
        raise FreezeLinkError("used")
    return link, sender


def freeze_by_link(services: Services, token: str, language: str) -> ActionOutcome:
    """The emergency freeze, exactly as from the portal; once per link."""
    link, sender = check_freeze_link(services, token)
    outcome = emergency_freeze(services, sender, note="", key=link.key, language=language)
    if outcome.replayed:  # a second click raced the first; the first one froze
        raise FreezeLinkError("used")
    return outcome


def freeze_link_paragraphs(
    services: Services, ticket: Ticket, customer: Customer, language: str
) -> list[str]:
    """The paragraph with the link, for a security email; none for other emails."""
    if customer.uid is None or customer.verification != Trust.VERIFIED.value:
        return []
    if not _is_security_ticket(services, ticket):
        return []
    token = mint_freeze_token(services, customer.id)
    url = f"{services.settings.public_base_url}/security/freeze?t={quote(token, safe='')}"
    hours = int(LIFETIME.total_seconds() // 3600)
    return [t("trust.freeze_link_mail", language, url=url, hours=hours)]


def _is_security_ticket(services: Services, ticket: Ticket) -> bool:
    if ticket.category == SECURITY:
        return True
    if ticket.team_id is None:
        return False
    with services.db.read() as session:
        return session.scalar(select(Team.slug).where(Team.id == ticket.team_id)) == SECURITY


def _sender(services: Services, customer_id: int) -> Sender:
    with services.db.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise FreezeLinkError("invalid")
        return Sender(
            trust=Trust(customer.verification),
            uid=customer.uid,
            email=customer.email,
            name=customer.name or None,
            language=customer.language,
        )


def _used(services: Services, uid: str, link: FreezeLink) -> bool:
    key = f"customer:{uid}:{link.key}"  # as emergency_freeze scopes it
    with services.db.read() as session:
        found = session.scalar(select(AccountAction.id).where(AccountAction.idempotency_key == key))
    return found is not None
