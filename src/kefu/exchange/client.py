"""What kefu needs from the exchange, as a Protocol, and the facts it gets back.

Account facts are read live from the exchange and never copied into kefu's database
(DESIGN.md: the exchange is the system of record for accounts). The wire format is in
docs/exchange-adapter.md; `kefu.exchange.http.HttpExchangeClient` implements it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from kefu.errors import Conflict, KefuError, NotFound, Unavailable


class AccountStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"
    CLOSED = "closed"


@dataclass(frozen=True)
class Transfer:
    """One recent deposit or withdrawal."""

    asset: str
    amount: str  # decimal string: amounts never pass through floats
    network: str
    status: str  # pending / reviewing / completed / failed
    tx_id: str | None
    address: str | None
    at: datetime


@dataclass(frozen=True)
class AccountFacts:
    uid: str
    kyc_level: int
    status: AccountStatus
    frozen_reason: str | None
    frozen_at: datetime | None
    deposits: tuple[Transfer, ...]
    withdrawals: tuple[Transfer, ...]


@dataclass(frozen=True)
class ApiKeyFacts:
    key_id: str  # the public key id, never the secret
    label: str
    permissions: tuple[str, ...]  # read / spot_trade / futures_trade / withdraw …
    ip_whitelist: tuple[str, ...]  # empty: any IP may use it
    created_at: datetime
    last_used_at: datetime | None
    last_used_ip: str | None


@dataclass(frozen=True)
class Requester:
    """Who asked kefu to act, passed to the exchange for its own audit trail."""

    kind: str  # customer / agent / system
    id: str


@dataclass(frozen=True)
class FreezeResult:
    uid: str
    status: AccountStatus
    action_id: str  # the exchange's reference for this freeze or unfreeze
    at: datetime
    replayed: bool  # the idempotency key was seen before; nothing changed this time


class ExchangeClient(Protocol):
    """The exchange operations kefu uses. Every call may raise the errors below."""

    def account_facts(self, uid: str) -> AccountFacts:
        """KYC level, account status and the latest deposits and withdrawals."""
        ...

    def freeze(
        self, uid: str, *, reason: str, idempotency_key: str, requested_by: Requester
    ) -> FreezeResult:
        """Freeze the account. The same idempotency key freezes at most once."""
        ...

    def unfreeze(
        self, uid: str, *, reason: str, idempotency_key: str, requested_by: Requester
    ) -> FreezeResult:
        """Lift a freeze. The same idempotency key unfreezes at most once."""
        ...

    def api_keys(self, uid: str) -> tuple[ApiKeyFacts, ...]:
        """The account's API keys: permissions, IP whitelist and last use."""
        ...


class ExchangeUnavailable(Unavailable):
    """The exchange did not answer in time or answered 5xx: retrying may help."""

    code = "exchange_unavailable"

    def __init__(self, detail: str = "") -> None:
        super().__init__("trust.exchange_unavailable")
        self.detail = detail


class ExchangeRejected(KefuError):
    """The exchange refused the request (signature, clock, malformed): retrying cannot help."""

    status = 502
    code = "exchange_rejected"

    def __init__(self, detail: str = "") -> None:
        super().__init__("trust.exchange_rejected")
        self.detail = detail


class AccountNotFound(NotFound):
    code = "exchange_account_not_found"

    def __init__(self, uid: str) -> None:
        super().__init__("trust.account_not_found", uid=uid)


class AccountClosed(Conflict):
    code = "exchange_account_closed"

    def __init__(self, uid: str) -> None:
        super().__init__("trust.account_closed", uid=uid)
