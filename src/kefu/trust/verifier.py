"""Is this really the exchange? `verify(text)` answers for anything a customer pastes.

Statuses: `official` (in the registry), `likely_impersonation` (imitates an official
identity: look-alike characters, typosquat, subdomain trick, punycode, our handle on
another platform), `not_official` (an identity we do not use), `unknown` (no identity
found in the text). Reasons are codes with parameters; their text is in
`kefu.messages.trust` under `trust.reason.<code>`. See docs/subsystems/trust.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kefu.trust.lookalike import Resemblance, distance, resemblance, skeleton
from kefu.trust.normalize import HOST_KINDS, Candidate, Kind, extract_candidates
from kefu.trust.registry import Official, Registry

FREE_MAIL = frozenset(
    {"gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "qq.com", "163.com", "126.com",
     "proton.me", "protonmail.com", "icloud.com", "mail.ru", "yandex.ru", "gmx.com", "aol.com"}
)  # fmt: skip
SHORTENERS = frozenset(
    {"bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "cutt.ly", "rb.gy", "t.cn",
     "dwz.cn", "url.cn", "shorturl.at"}
)  # fmt: skip


MAX_CANDIDATES = 10


class Status(StrEnum):
    OFFICIAL = "official"
    NOT_OFFICIAL = "not_official"
    LIKELY_IMPERSONATION = "likely_impersonation"
    UNKNOWN = "unknown"


SEVERITY = {
    Status.UNKNOWN: 0,
    Status.OFFICIAL: 1,
    Status.NOT_OFFICIAL: 2,
    Status.LIKELY_IMPERSONATION: 3,
}


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    status: Status
    kind: str | None
    normalized: str
    matched_official: str | None
    reasons: tuple[Reason, ...]


def verify(text: str, registry: Registry, kind: Kind | None = None) -> Verdict:
    """The verdict on the most suspicious identity found in `text`."""
    candidates = extract_candidates(text, kind, registry.agent_prefixes)
    if not candidates:
        return Verdict(Status.UNKNOWN, None, text.strip()[:200], None, (Reason("nothing_found"),))
    # A paste with dozens of identities is an attack on our CPU, not a question.
    verdicts = [verify_candidate(c, registry) for c in candidates[:MAX_CANDIDATES]]
    return max(verdicts, key=lambda v: SEVERITY[v.status])


def verify_candidate(candidate: Candidate, registry: Registry) -> Verdict:
    if candidate.kind is Kind.EMAIL:
        return _email(candidate, registry)
    if candidate.kind in HOST_KINDS:
        return _host(candidate, registry)
    if candidate.kind is Kind.PHONE:
        return _phone(candidate, registry)
    if candidate.kind is Kind.AGENT_ID:
        return _agent_id(candidate, registry)
    return _handle(candidate, registry)


def _verdict(
    status: Status, candidate: Candidate, official: Official | None, *reasons: Reason
) -> Verdict:
    kind = candidate.kind.value if candidate.kind else None
    matched = official.display if official else None
    return Verdict(status, kind, candidate.normalized, matched, reasons)


# hosts ---------------------------------------------------------------------------------


def _host(candidate: Candidate, registry: Registry) -> Verdict:
    host = candidate.normalized
    official = registry.is_official_host(host)
    if official is not None and not candidate.userinfo:
        return _verdict(Status.OFFICIAL, candidate, official, Reason("in_registry"))
    imitated, reasons = _host_imitation(candidate, host, registry)
    if imitated is not None:
        return _verdict(Status.LIKELY_IMPERSONATION, candidate, imitated, *reasons)
    return _verdict(
        Status.NOT_OFFICIAL,
        candidate,
        _first(registry.hosts),
        *_weak_host(candidate, host, registry),
    )


def _host_imitation(
    candidate: Candidate, host: str, registry: Registry
) -> tuple[Official | None, list[Reason]]:
    reasons = [Reason("punycode", {"shown": host})] if candidate.punycode else []
    owner = registrable(host)
    for official in registry.domains:
        if f".{official.value}." in f".{host}.":
            return official, [
                *reasons,
                Reason("subdomain_trick", {"real": official.value, "owner": owner}),
            ]
    if candidate.userinfo and _mentions_brand(candidate.userinfo, registry):
        return _first(registry.domains), [*reasons, Reason("userinfo_trick", {"owner": host})]
    labels = host.split(".")
    names = [*labels[:-1], "".join(labels[:-1])] if len(labels) > 1 else labels
    for official in registry.hosts:
        brand_label = (
            official.value.split(".")[-2]
            if official.kind is Kind.WEBSITE
            else official.value.split(".")[0]
        )
        for name in names:
            found = resemblance(name, brand_label, registry.brands)
            if found is not None:
                return official, [*reasons, *_host_reasons(found, official, owner)]
    return None, reasons


def _host_reasons(found: Resemblance, official: Official, owner: str) -> list[Reason]:
    if found.exact_copy:
        return [Reason("other_tld", {"real": official.value, "owner": owner})]
    return [Reason(code, {"real": official.value, "owner": owner}) for code in found.codes]


def _weak_host(candidate: Candidate, host: str, registry: Registry) -> list[Reason]:
    reasons = []
    if registrable(host) in SHORTENERS:
        reasons.append(Reason("shortener", {"owner": host}))
    if candidate.path and _mentions_brand(candidate.path, registry):
        reasons.append(Reason("brand_in_path", {"owner": registrable(host)}))
    return reasons or [Reason("not_in_registry")]


def registrable(host: str) -> str:
    """The part of a host its owner registered (approximate: the last two labels)."""
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


def _mentions_brand(text: str, registry: Registry) -> bool:
    folded = skeleton(text)
    if any(brand in folded for brand in registry.brands):
        return True
    return any(name.casefold() in text.casefold() for name in registry.brand_names)


# email ---------------------------------------------------------------------------------


def _email(candidate: Candidate, registry: Registry) -> Verdict:
    address = candidate.normalized
    local, _, host = address.rpartition("@")
    official = registry.find(Kind.EMAIL, address)
    senders = registry.of(Kind.EMAIL)
    if official is not None:
        return _verdict(
            Status.OFFICIAL, candidate, official, Reason("in_registry"), Reason("spoofable")
        )
    if registry.is_official_host(host) is not None:
        listed = ", ".join(o.display for o in senders)
        return Verdict(
            Status.NOT_OFFICIAL, Kind.EMAIL.value, address, listed or None,
            (Reason("address_not_listed", {"listed": listed}),),
        )  # fmt: skip
    host_candidate = Candidate(Kind.DOMAIN, host, host, candidate.punycode)
    imitated, reasons = _host_imitation(host_candidate, host, registry)
    if imitated is not None:
        return _verdict(
            Status.LIKELY_IMPERSONATION, candidate, _first(senders) or imitated, *reasons
        )
    brand_reasons = _brand_in_sender(candidate, local, host, registry)
    if brand_reasons:
        return _verdict(Status.LIKELY_IMPERSONATION, candidate, _first(senders), *brand_reasons)
    return _verdict(Status.NOT_OFFICIAL, candidate, _first(senders), Reason("not_in_registry"))


def _brand_in_sender(
    candidate: Candidate, local: str, host: str, registry: Registry
) -> list[Reason]:
    reasons = []
    if _mentions_brand(local, registry) or _near_brand(local, registry):
        code = "free_mail" if registrable(host) in FREE_MAIL else "brand_in_address"
        reasons.append(Reason(code, {"owner": host}))
    if candidate.display_name and _mentions_brand(candidate.display_name, registry):
        reasons.append(
            Reason("display_name_brand", {"name": candidate.display_name, "owner": host})
        )
    return reasons


def _near_brand(name: str, registry: Registry) -> bool:
    return any(resemblance(name, brand, registry.brands) for brand in registry.brands)


# handles -------------------------------------------------------------------------------


def _handle(candidate: Candidate, registry: Registry) -> Verdict:
    handle = candidate.normalized
    if handle.startswith(("joinchat/", "+/")):
        return _verdict(
            Status.NOT_OFFICIAL,
            candidate,
            _first(registry.of(Kind.TELEGRAM)),
            Reason("telegram_invite"),
        )
    same_kind = [o for o in registry.handles if candidate.kind in (None, o.kind)]
    exact = next((o for o in same_kind if o.value == handle), None)
    if exact is not None:
        found = Candidate(exact.kind, candidate.raw, handle)
        return _verdict(
            Status.OFFICIAL, found, exact, Reason("in_registry", {"platform": exact.kind.value})
        )
    elsewhere = next((o for o in registry.handles if o.value == handle), None)
    if elsewhere is not None:
        reason = Reason("other_platform", {"platform": elsewhere.kind.value})
        return _verdict(
            Status.LIKELY_IMPERSONATION, candidate, _first(same_kind) or elsewhere, reason
        )
    for official in _nearest_first(handle, registry.handles, same_kind):
        found_like = resemblance(handle, official.value, registry.brands)
        if found_like is not None:
            reasons = [Reason(code, {"real": official.display}) for code in found_like.codes]
            return _verdict(Status.LIKELY_IMPERSONATION, candidate, official, *reasons)
    return _verdict(
        Status.NOT_OFFICIAL,
        candidate,
        _first(same_kind or registry.handles),
        Reason("not_in_registry"),
    )


def _nearest_first(
    handle: str, handles: list[Official], preferred: list[Official]
) -> list[Official]:
    """Compare with the most similar official first, so the verdict names the right one."""
    folded = skeleton(handle)
    return sorted(
        handles,
        key=lambda o: (o not in preferred, distance(folded, skeleton(o.value), limit=64)),
    )


# phones and agent ids ------------------------------------------------------------------


def _phone(candidate: Candidate, registry: Registry) -> Verdict:
    number = candidate.normalized
    phones = registry.of(Kind.PHONE)
    for official in phones:
        if _same_number(number, official.value):
            return _verdict(Status.OFFICIAL, candidate, official, Reason("in_registry"))
    for official in phones:
        if _one_digit_off(number, official.value):
            return _verdict(
                Status.LIKELY_IMPERSONATION, candidate, official, Reason("one_digit_off")
            )
    return _verdict(Status.NOT_OFFICIAL, candidate, _first(phones), Reason("not_in_registry"))


def _same_number(a: str, b: str) -> bool:
    # Numbers are often written without the country code; 8+ trailing digits identify one.
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 8 and longer.endswith(shorter)


def _one_digit_off(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    tail = longer[-len(shorter) :]
    return len(shorter) >= 8 and sum(x != y for x, y in zip(shorter, tail, strict=True)) == 1


def _agent_id(candidate: Candidate, registry: Registry) -> Verdict:
    agents = registry.of(Kind.AGENT_ID)
    official = registry.find(Kind.AGENT_ID, candidate.normalized)
    if official is not None:
        return _verdict(Status.OFFICIAL, candidate, official, Reason("in_registry"))
    for agent in agents:
        if skeleton(candidate.normalized) == skeleton(agent.value):
            return _verdict(
                Status.LIKELY_IMPERSONATION,
                candidate,
                agent,
                Reason("character_swap", {"real": agent.display}),
            )
    return _verdict(Status.NOT_OFFICIAL, candidate, None, Reason("agent_not_listed"))


def _first(officials: list[Official]) -> Official | None:
    return officials[0] if officials else None
