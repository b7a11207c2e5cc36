"""Masking customer personal fields for agents: `w***@example.com`, `王*`, hidden facts.

Masking is the default for every role; a field is shown in full only while the viewer
holds a reveal for it (`kefu.insider.reveals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from kefu.store.models import Customer

EMAIL = "email"
NAME = "name"
ACCOUNT = "account"  # the exchange's account facts: KYC level, deposits, withdrawals
FIELDS = (EMAIL, NAME, ACCOUNT)
HIDDEN = "••••"
_ADDRESS = re.compile(r"[^\s<>\"',;:]+@[^\s<>\"',;:]+")


def mask_email(value: str | None) -> str | None:
    """`wang@example.com` → `w***@example.com`; the domain stays (it helps triage)."""
    if not value:
        return value
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return f"{value[:1]}***"
    return f"{local[:1]}***@{domain}"


def mask_name(value: str | None) -> str | None:
    """`王小明` → `王*`, `Emily Carter` → `E*`: one letter, never the length."""
    if not value:
        return value
    return f"{value.strip()[:1]}*"


def mask_emails_in(text: str) -> str:
    """Every address inside free text (a `From:` line, say) masked."""
    return _ADDRESS.sub(lambda m: mask_email(m.group(0)) or "", text)


def mask_sender(value: str, revealed: frozenset[str] = frozenset()) -> str:
    """A `Name <address>` line with each part masked unless that field is revealed."""
    name, address = parseaddr(value)
    if not address:
        return value if EMAIL in revealed else mask_emails_in(value)
    shown_name = name if NAME in revealed else mask_name(name)
    shown_address = address if EMAIL in revealed else mask_email(address)
    return f"{shown_name} <{shown_address}>" if shown_name else shown_address or ""


@dataclass(frozen=True)
class MaskedCustomer:
    """What an agent may see of a customer right now; `revealed` lists the unmasked fields."""

    id: int
    uid: str | None
    email: str | None
    name: str | None
    language: str
    tier: str
    verification: str
    has_anti_phishing_code: bool
    revealed: frozenset[str]

    def shows(self, field: str) -> bool:
        return field in self.revealed


def masked_customer(customer: Customer, revealed: frozenset[str]) -> MaskedCustomer:
    email = customer.email if EMAIL in revealed else mask_email(customer.email)
    name = customer.name if NAME in revealed else mask_name(customer.name)
    return MaskedCustomer(
        id=customer.id,
        uid=customer.uid,
        email=email,
        name=name or None,
        language=customer.language,
        tier=customer.tier,
        verification=customer.verification,
        has_anti_phishing_code=bool(customer.anti_phishing_code),
        revealed=revealed,
    )
