"""Is this email really from us? The verdict on a message a customer forwards or pastes.

Built from the parts kefu already trusts, never second versions of them:
- `kefu.channels.email.parse.parse_email` reads the message;
- `kefu.channels.email.authenticity` reads the topmost Authentication-Results (written by
  the customer's own mailbox provider when the message arrived) and, when a resolver is
  given, verifies DKIM signatures itself;
- `kefu.trust.registry` / `kefu.trust.verifier` judge the From domain and every link;
- the customer's anti-phishing code, when they are signed in.

Verdict: `fake` when any check proves it (look-alike or foreign sender, failed
DKIM/DMARC, wrong or missing anti-phishing code, a look-alike link); `genuine` only when
an aligned DKIM pass proves one of our domains sent it and nothing is wrong;
`cannot_tell` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from kefu.channels.email.authenticity import (
    MtaResults,
    SenderAuth,
    TxtResolver,
    check_sender,
    mta_results,
    topmost_authserv_id,
)
from kefu.channels.email.parse import ParsedEmail, html_to_text, parse_email
from kefu.trust.normalize import Kind
from kefu.trust.registry import Registry
from kefu.trust.verifier import Status, verify

Outcome = Literal["good", "bad", "unknown"]
MAX_LINKS = 10  # a message with more links is judged on its first ten hosts
URL = re.compile(r"https?://[^\s\"'<>()]+", re.IGNORECASE)
# How our own mails show the code ("您的防钓鱼码：…" / "Your anti-phishing code: …").
CODE_LINE = re.compile(r"(?:防钓鱼码|anti-phishing code)\s*[:：]\s*([^\W_]{4,20})", re.IGNORECASE)
# These prove a fake on their own; any other bad outcome makes it "cannot tell" at best.
DECISIVE = frozenset(
    {"sender_lookalike", "sender_not_official", "dkim_fail", "dmarc_fail", "code_wrong",
     "link_lookalike"}
)  # fmt: skip


class EmailVerdict(StrEnum):
    GENUINE = "genuine"
    FAKE = "fake"
    CANNOT_TELL = "cannot_tell"


@dataclass(frozen=True)
class Check:
    code: str  # message key playbooks.check.<code>
    outcome: Outcome
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EmailReport:
    verdict: EmailVerdict
    checks: tuple[Check, ...]
    from_address: str
    subject: str


def check_reported_email(
    raw: bytes, registry: Registry, own_code: str | None, resolver: TxtResolver | None = None
) -> EmailReport:
    """The verdict on `raw` (a whole message, or pasted headers with an optional body)."""
    parsed = parse_email(raw)
    auth = _sender_auth(raw, parsed, resolver)
    official_sender = registry.is_official_host(auth.from_domain) is not None
    checks = [
        *_sender_checks(parsed.from_address, registry),
        *_auth_checks(auth, _provider_results(raw)),
        *_code_checks(_visible_text(parsed), own_code),
        *_link_checks(_links(parsed), registry),
    ]
    verdict = _verdict(checks, proven=official_sender and auth.proves_from, own_code=own_code)
    return EmailReport(verdict, tuple(checks), parsed.from_address, parsed.subject or "")


def raw_from_paste(headers: str, body: str = "") -> bytes:
    """Pasted headers (and body) as a message the parser reads."""
    lines = [line.rstrip("\r") for line in headers.strip().splitlines()]
    return ("\r\n".join(lines) + "\r\n\r\n" + body.strip() + "\r\n").encode("utf-8")


def _verdict(checks: list[Check], *, proven: bool, own_code: str | None) -> EmailVerdict:
    bad = {c.code for c in checks if c.outcome == "bad"}
    if bad & DECISIVE or ("code_missing" in bad and not proven):
        return EmailVerdict.FAKE
    code_ok = own_code is None or any(c.code == "code_matches" for c in checks)
    return EmailVerdict.GENUINE if proven and not bad and code_ok else EmailVerdict.CANNOT_TELL


# sender --------------------------------------------------------------------------------


def _sender_checks(address: str, registry: Registry) -> list[Check]:
    domain = address.rpartition("@")[2].lower()
    if registry.is_official_host(domain) is not None:
        checks = [Check("sender_official", "good", {"domain": domain})]
        if registry.find(Kind.EMAIL, address.lower()) is None:
            checks.append(Check("sender_address_unlisted", "unknown", {"address": address}))
        return checks
    verdict = verify(address, registry, Kind.EMAIL)
    if verdict.status is Status.LIKELY_IMPERSONATION:
        real = verdict.matched_official or ""
        return [Check("sender_lookalike", "bad", {"address": address, "real": real})]
    return [Check("sender_not_official", "bad", {"address": address})]


# authentication ------------------------------------------------------------------------


def _provider_results(raw: bytes) -> MtaResults:
    """What the customer's mailbox provider recorded on delivery (the topmost header; ones
    below it came with the message and may be forged)."""
    provider = topmost_authserv_id(raw)
    return mta_results(raw, (provider,)) if provider else MtaResults()


def _sender_auth(raw: bytes, parsed: ParsedEmail, resolver: TxtResolver | None) -> SenderAuth:
    provider = _provider_results(raw)
    own = check_sender(raw, parsed, resolver, ()).dkim_domains if resolver else ()
    domains = tuple(dict.fromkeys([*own, *provider.dkim_domains]))
    from_domain = parsed.from_address.rpartition("@")[2].lower()
    return SenderAuth("pass" if domains else provider.dkim, domains, provider.spf, from_domain)


def _auth_checks(auth: SenderAuth, provider: MtaResults) -> list[Check]:
    checks = [_dkim_check(auth, provider)]
    if provider.dmarc == "pass":
        checks.append(Check("dmarc_pass", "good"))
    elif provider.dmarc == "fail":
        checks.append(Check("dmarc_fail", "bad"))
    if provider.spf == "pass":
        checks.append(Check("spf_pass", "good"))
    elif provider.spf not in ("none", "pass"):
        # SPF checks the envelope sender, never the From address: shown, not decisive.
        checks.append(Check("spf_fail", "unknown", {"result": provider.spf}))
    return checks


def _dkim_check(auth: SenderAuth, provider: MtaResults) -> Check:
    if auth.proves_from:
        aligned = next(d for d in auth.dkim_domains if auth.from_domain.endswith(d))
        return Check("dkim_pass", "good", {"domain": aligned})
    if provider.dkim in ("fail", "permerror") and not auth.dkim_domains:
        return Check("dkim_fail", "bad")
    if auth.dkim_domains:
        return Check("dkim_other_domain", "unknown", {"domain": auth.dkim_domains[0]})
    return Check("dkim_missing", "unknown")


# anti-phishing code --------------------------------------------------------------------


def _visible_text(parsed: ParsedEmail) -> str:
    html_text = html_to_text(parsed.html) if parsed.html else ""
    return f"{parsed.subject or ''}\n{parsed.text}\n{html_text}"


def _code_checks(text: str, own_code: str | None) -> list[Check]:
    shown = CODE_LINE.search(text)
    if own_code is None:
        return [Check("code_unchecked" if shown else "code_absent", "unknown")]
    if shown is not None and shown.group(1) == own_code:
        return [Check("code_matches", "good")]
    if shown is not None:
        return [Check("code_wrong", "bad")]
    return [Check("code_missing", "bad")]


# links ---------------------------------------------------------------------------------


def _links(parsed: ParsedEmail) -> list[str]:
    found = URL.findall(f"{parsed.text}\n{parsed.html or ''}")
    return list(dict.fromkeys(url.rstrip(".,;:!?") for url in found))


def _link_checks(urls: list[str], registry: Registry) -> list[Check]:
    checks: dict[str, Check] = {}
    for url in urls:
        if len(checks) >= MAX_LINKS:
            break
        verdict = verify(url, registry, Kind.WEBSITE)
        host = verdict.normalized
        if host not in checks:
            checks[host] = _link_check(host, verdict.status, verdict.matched_official)
    return list(checks.values())


def _link_check(host: str, status: Status, real: str | None) -> Check:
    if status is Status.OFFICIAL:
        return Check("link_official", "good", {"host": host})
    if status is Status.LIKELY_IMPERSONATION:
        return Check("link_lookalike", "bad", {"host": host, "real": real or ""})
    return Check("link_other", "unknown", {"host": host})
