"""The guided forms: their fields, where their tickets go, and how answers are checked.

See docs/subsystems/playbooks.md. No form asks for a password, a 2FA code or a seed
phrase; what a customer types anyway is redacted by the shield (`kefu.playbooks.tickets`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from kefu.errors import NotFound

FieldKind = Literal["text", "choice", "datetime", "textarea"]
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


@dataclass(frozen=True)
class Field:
    name: str
    kind: FieldKind = "text"
    required: bool = True
    max_length: int = 200
    pattern: re.Pattern[str] | None = None
    choices: tuple[str, ...] = ()
    hint: bool = False  # a `playbooks.hint.<name>` message exists


@dataclass(frozen=True)
class Playbook:
    slug: str  # in URLs and in the message metadata ("playbook")
    key: str  # message keys: playbooks.<key>.title / .lead / .subject
    category: str
    fields: tuple[Field, ...]
    team: str | None = None  # None: the category's team
    priority_floor: str | None = None
    needs_verified: bool = False  # an exchange-signed identity, not just a signed-in email
    screenshots: bool = False

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class FieldError:
    field: str
    key: str  # playbooks.error.<kind>
    limit: int = 0


ASSET = re.compile(r"^[A-Za-z0-9]{2,12}$")
AMOUNT = re.compile(r"^\d{1,15}(?:\.\d{1,18})?$")
ADDRESS = re.compile(r"^[A-Za-z0-9:._\-]{10,200}$")
ORDER_ID = re.compile(r"^[A-Za-z0-9_\-]{4,64}$")
PAIR = re.compile(r"^[A-Za-z0-9]{2,12}\s*[/\-_]?\s*[A-Za-z0-9]{2,12}$")
DESCRIPTION = Field("description", "textarea", required=False, max_length=5000)

TWO_FACTOR_RESET = Playbook(
    slug="2fa-reset",
    key="two_factor_reset",
    category="security",
    fields=(
        Field("account", max_length=320),
        Field("lost", "choice", choices=("authenticator", "phone", "email", "password")),
        Field("last_login", required=False, max_length=100, hint=True),
        Field("recent_deposit", required=False, max_length=300),
        DESCRIPTION,
    ),
)
LARGE_WITHDRAWAL = Playbook(
    slug="large-withdrawal",
    key="large_withdrawal",
    category="deposit_withdrawal",
    # There is no risk team (kefu.demo.seed.TEAMS): risk review is the security team's.
    team="security",
    priority_floor="high",
    needs_verified=True,
    fields=(
        Field("asset", max_length=12, pattern=ASSET),
        Field("amount", max_length=34, pattern=AMOUNT, hint=True),
        Field("address", max_length=200, pattern=ADDRESS),
        Field("network", max_length=40, hint=True),
        Field("planned_time", "datetime"),
        Field("purpose", "textarea", required=False, max_length=2000),
    ),
)
TRADING_DISPUTE = Playbook(
    slug="trading-dispute",
    key="trading_dispute",
    category="trading",
    screenshots=True,
    fields=(
        Field("order_id", max_length=64, pattern=ORDER_ID),
        Field("pair", max_length=30, pattern=PAIR, hint=True),
        Field("trade_time", "datetime"),
        Field("description", "textarea", max_length=5000),
    ),
)
PLAYBOOKS: tuple[Playbook, ...] = (TWO_FACTOR_RESET, LARGE_WITHDRAWAL, TRADING_DISPUTE)
PLAYBOOK_BY_SLUG: dict[str, Playbook] = {p.slug: p for p in PLAYBOOKS}


def find_playbook(slug: str) -> Playbook:
    playbook = PLAYBOOK_BY_SLUG.get(slug)
    if playbook is None:
        raise NotFound("playbooks.error.unknown_form", form=slug[:40])
    return playbook


def check_answers(
    playbook: Playbook, answers: Mapping[str, str]
) -> tuple[dict[str, str], list[FieldError]]:
    """The answers trimmed, with one error per field that is missing or malformed."""
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    for spec in playbook.fields:
        value = (answers.get(spec.name) or "").strip()
        error = _field_error(spec, value)
        if error is not None:
            errors.append(error)
        elif value:
            values[spec.name] = _normalised(spec, value)
    return values, errors


def _field_error(spec: Field, value: str) -> FieldError | None:
    if not value:
        return FieldError(spec.name, "playbooks.error.required") if spec.required else None
    if len(value) > spec.max_length:
        return FieldError(spec.name, "playbooks.error.too_long", spec.max_length)
    if spec.choices and value not in spec.choices:
        return FieldError(spec.name, "playbooks.error.choice")
    if spec.pattern is not None and not spec.pattern.match(value):
        return FieldError(spec.name, "playbooks.error.invalid")
    if spec.kind == "datetime" and _parse_datetime(value) is None:
        return FieldError(spec.name, "playbooks.error.invalid")
    return None


def _normalised(spec: Field, value: str) -> str:
    if spec.name == "asset":
        return value.upper()
    if spec.kind == "datetime":
        parsed = _parse_datetime(value)
        assert parsed is not None, "checked before"
        return parsed.strftime("%Y-%m-%d %H:%M")
    return value


def _parse_datetime(value: str) -> datetime | None:
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(value, fmt)  # the customer's local time, as typed
        except ValueError:
            continue
    return None
