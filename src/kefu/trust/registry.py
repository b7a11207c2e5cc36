"""The admin-managed registry of official identities, and the demo exchange's own.

Demo deployments (`Settings.is_demo`) start with `DEMO_IDENTITIES`; a production
registry starts empty and admins fill it (API `/api/v1/trust/identities`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.errors import Conflict, NotFound, UserError
from kefu.services import Services
from kefu.store.ids import can_be_row_id
from kefu.store.models import OfficialIdentity
from kefu.trust.lookalike import skeleton
from kefu.trust.normalize import HANDLE_KINDS, HOST_KINDS, Kind, normalize_value


@dataclass(frozen=True)
class Official:
    kind: Kind
    value: str  # normalised
    display: str
    note: str = ""


DEMO_IDENTITIES = (
    Official(Kind.DOMAIN, "demo-exchange.example", "demo-exchange.example", "main site"),
    Official(Kind.WEBSITE, "www.demo-exchange.example", "https://www.demo-exchange.example"),
    Official(
        Kind.WEBSITE, "support.demo-exchange.example", "https://support.demo-exchange.example"
    ),
    Official(Kind.EMAIL, "support@demo-exchange.example", "support@demo-exchange.example"),
    Official(Kind.EMAIL, "security@demo-exchange.example", "security@demo-exchange.example"),
    Official(Kind.EMAIL, "noreply@demo-exchange.example", "noreply@demo-exchange.example"),
    Official(Kind.TELEGRAM, "demoexchangesupport", "@DemoExchangeSupport", "support bot"),
    Official(Kind.X, "demoexchange", "@DemoExchange"),
    Official(Kind.FACEBOOK, "demoexchangeofficial", "facebook.com/DemoExchangeOfficial"),
    Official(Kind.PHONE, "12025550147", "+1 202 555 0147", "support hotline"),
    Official(Kind.AGENT_ID, "DX1001", "DX-1001", "Alice"),
    Official(Kind.AGENT_ID, "DX1002", "DX-1002", "Bob"),
    Official(Kind.AGENT_ID, "DX1003", "DX-1003", "Charlie (security)"),
)


class Registry:
    """The official identities, indexed the ways the verifier asks."""

    def __init__(self, officials: tuple[Official, ...], brand_names: tuple[str, ...] = ()) -> None:
        self.officials = officials
        # The names customers see ("Demo Exchange", "演示交易所"): impostors put them in
        # sender names even when no address or handle resembles ours.
        self.brand_names = tuple(name for name in brand_names if name.strip())

    def of(self, *kinds: Kind) -> list[Official]:
        return [o for o in self.officials if o.kind in kinds]

    def find(self, kind: Kind, value: str) -> Official | None:
        return next((o for o in self.officials if o.kind is kind and o.value == value), None)

    @cached_property
    def domains(self) -> list[Official]:
        """Domains cover their subdomains; websites only their own host."""
        return self.of(Kind.DOMAIN)

    @cached_property
    def hosts(self) -> list[Official]:
        return self.of(*HOST_KINDS)

    @cached_property
    def handles(self) -> list[Official]:
        return self.of(*HANDLE_KINDS)

    @cached_property
    def brands(self) -> frozenset[str]:
        """The brand as a folded name: each official domain's first label (demoexchange)."""
        labels = {o.value.split(".")[0] for o in self.domains}
        return frozenset(s for s in (skeleton(label) for label in labels) if s)

    @cached_property
    def agent_prefixes(self) -> frozenset[str]:
        """The letters agent ids start with (DX for DX-1001): only these are read as ids."""
        found = (re.match(r"[A-Z]+", o.value) for o in self.of(Kind.AGENT_ID))
        return frozenset(m.group(0) for m in found if m)

    def is_official_host(self, host: str) -> Official | None:
        for official in self.domains:
            if host == official.value or host.endswith("." + official.value):
                return official
        return next((o for o in self.of(Kind.WEBSITE) if o.value == host), None)


def load_registry(services: Services, *, seed: bool = True) -> Registry:
    """The registry; a demo deployment with none gets the demo identities (stored when
    `seed`; callers already inside a write transaction pass seed=False)."""
    with services.db.read() as session:
        rows = session.scalars(select(OfficialIdentity).order_by(OfficialIdentity.id)).all()
    names = (services.settings.brand_name, services.settings.brand_name_zh)
    if not rows and services.settings.is_demo:
        if seed:
            seed_demo_identities(services)
        return Registry(DEMO_IDENTITIES, names)
    return Registry(tuple(_official(row) for row in rows), names)


def seed_demo_identities(services: Services) -> None:
    """Give a demo deployment the demo exchange's identities (idempotent)."""
    try:
        with services.db.write() as session:
            if session.scalar(select(OfficialIdentity.id).limit(1)) is not None:
                return
            session.add_all(
                OfficialIdentity(kind=o.kind.value, value=o.value, display=o.display, note=o.note)
                for o in DEMO_IDENTITIES
            )
    except IntegrityError:
        return  # another request seeded it first


def list_identities(session: Session) -> list[OfficialIdentity]:
    return list(session.scalars(select(OfficialIdentity).order_by(OfficialIdentity.kind)))


def add_identity(
    session: Session, kind: str, display: str, note: str, actor: Actor
) -> OfficialIdentity:
    checked = _kind(kind)
    value = normalize_value(checked, display)
    if not value or len(value) > 320:
        raise UserError("error.validation", code="validation_error", field="value", detail=display)
    exists = session.scalar(
        select(OfficialIdentity.id).where(
            OfficialIdentity.kind == checked.value, OfficialIdentity.value == value
        )
    )
    if exists is not None:
        raise Conflict("trust.identity_exists", value=display)
    row = OfficialIdentity(
        kind=checked.value,
        value=value,
        display=display.strip(),
        note=note.strip(),
        created_by_agent_id=actor.id if actor.kind == "agent" else None,
    )
    session.add(row)
    session.flush()
    record_event(session, "trust.identity_added", actor, identity_kind=checked.value, value=value)
    return row


def remove_identity(session: Session, identity_id: int, actor: Actor) -> None:
    row = session.get(OfficialIdentity, identity_id) if can_be_row_id(identity_id) else None
    if row is None:
        raise NotFound()
    record_event(session, "trust.identity_removed", actor, identity_kind=row.kind, value=row.value)
    session.delete(row)


def _kind(kind: str) -> Kind:
    try:
        return Kind(kind)
    except ValueError:
        raise UserError(
            "error.validation", code="validation_error", field="kind", detail=kind
        ) from None


def _official(row: OfficialIdentity) -> Official:
    return Official(Kind(row.kind), row.value, row.display, row.note)
