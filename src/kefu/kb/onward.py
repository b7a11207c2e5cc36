"""The way onward at the end of an article: which channels, in which order, per category.

Security articles lead with "freeze first", then the security team; API problems go to a
ticket (error details and screenshots); listings and business go to the website forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from kefu.settings import Settings

SECURITY = "security"
FREEZE_ARTICLE = "/help/a/self-service-freeze"
EXCHANGE_SITE = "https://www.demo-exchange.example"


@dataclass(frozen=True)
class Onward:
    category: str
    kind: str  # security / api / listing / general
    ticket_url: str
    support_email: str
    security_email: str
    listing_url: str = f"{EXCHANGE_SITE}/listing"
    business_url: str = f"{EXCHANGE_SITE}/business"
    freeze_url: str = FREEZE_ARTICLE


def onward_for(category: str, settings: Settings) -> Onward:
    support_email = parseaddr(settings.mail_from)[1] or "support@demo-exchange.example"
    domain = support_email.rpartition("@")[2]
    kinds = {SECURITY: "security", "api": "api", "listing_business": "listing"}
    return Onward(
        category=category,
        kind=kinds.get(category, "general"),
        ticket_url=f"/portal/tickets/new?category={category}",
        support_email=support_email,
        security_email=f"security@{domain}",
    )
