"""Is the From address really the sender's? DKIM (verified here) and the MTA's results.

Two sources, never the sender's word:
- our own DKIM check with dkimpy; DNS look-ups go through `TxtResolver`, so tests and
  air-gapped deployments use a local zone;
- the `Authentication-Results` (RFC 8601) and `Received-SPF` headers our own receiving MTA
  added, recognised by its authserv-id (`KEFU_EMAIL_TRUSTED_AUTHSERV_IDS`). Only the topmost
  such header counts: anything below it came with the message and may be forged.

A DKIM pass proves the From address only when the signing domain is aligned with the
From domain (the same domain or a parent of it, as DMARC's relaxed alignment). SPF is
recorded for agents but never proves the From address (it checks the envelope sender).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import dkim  # type: ignore[import-untyped]

from kefu.channels.email.parse import ParsedEmail

log = logging.getLogger(__name__)

# name (e.g. b"sel._domainkey.example.com.") → the TXT record, or None when there is none.
TxtResolver = Callable[[bytes], bytes | None]
DNS_TIMEOUT_SECONDS = 5
_MAX_SIGNATURES = 3  # a message with more is not worth the DNS look-ups


@dataclass(frozen=True)
class SenderAuth:
    dkim: str  # pass / fail / none
    dkim_domains: tuple[str, ...]  # the signing domains that passed
    spf: str  # pass / fail / softfail / neutral / none / …, from our MTA only
    from_domain: str

    @property
    def proves_from(self) -> bool:
        """An aligned DKIM pass: the From address's domain signed this message."""
        return any(_aligned(d, self.from_domain) for d in self.dkim_domains)


def default_resolver() -> TxtResolver:
    """TXT look-ups over DNS (dnspython), as dkimpy does them."""

    def resolve(name: bytes) -> bytes | None:
        result: bytes | None = dkim.dnsplug.get_txt(name, timeout=DNS_TIMEOUT_SECONDS)
        return result

    return resolve


def zone_resolver(records: Mapping[str, str]) -> TxtResolver:
    """A local zone {"sel._domainkey.example.com": "v=DKIM1; k=rsa; p=…"}."""
    zone = {name.rstrip(".").lower(): value.encode() for name, value in records.items()}

    def resolve(name: bytes) -> bytes | None:
        return zone.get(name.decode("ascii", "replace").rstrip(".").lower())

    return resolve


def check_sender(
    raw: bytes, parsed: ParsedEmail, resolver: TxtResolver, trusted_ids: list[str] | tuple[str, ...]
) -> SenderAuth:
    from_domain = parsed.from_address.rpartition("@")[2].lower()
    passed = _dkim_passes(raw, resolver)
    mta = mta_results(raw, trusted_ids)
    domains = tuple(dict.fromkeys([*passed, *mta.dkim_domains]))
    dkim_result = "pass" if domains else ("fail" if _has_signature(raw) else "none")
    return SenderAuth(dkim_result, domains, mta.spf, from_domain)


def _aligned(signer: str, from_domain: str) -> bool:
    signer = signer.lower().rstrip(".")
    return bool(from_domain) and (from_domain == signer or from_domain.endswith("." + signer))


# --------------------------------------------------------------------------- DKIM


def _has_signature(raw: bytes) -> bool:
    return _count_signatures(raw) > 0


def _dkim_passes(raw: bytes, resolver: TxtResolver) -> list[str]:
    """The signing domains whose signature verifies."""
    count = min(_count_signatures(raw), _MAX_SIGNATURES)
    return [d for d in (_verify_signature(raw, i, resolver) for i in range(count)) if d]


def _verify_signature(raw: bytes, index: int, resolver: TxtResolver) -> str | None:
    try:
        checker = dkim.DKIM(raw, timeout=DNS_TIMEOUT_SECONDS)
        ok = checker.verify(idx=index, dnsfunc=_dkimpy_dns(resolver))
    except Exception as exc:  # a malformed signature, key or DNS failure: it does not pass
        log.info("dkim signature %d unusable: %s", index, type(exc).__name__)
        return None
    if not ok or checker.domain is None:
        return None
    domain: str = checker.domain.decode("ascii", "replace").lower()
    return domain


def _count_signatures(raw: bytes) -> int:
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    return len(re.findall(rb"(?im)^dkim-signature:", head))


def _dkimpy_dns(resolver: TxtResolver) -> Callable[..., bytes | None]:
    def dnsfunc(name: bytes, timeout: int = DNS_TIMEOUT_SECONDS) -> bytes | None:
        return resolver(name)

    return dnsfunc


# --------------------------------------------------------------------------- MTA results


@dataclass(frozen=True)
class MtaResults:
    dkim_domains: tuple[str, ...] = ()  # the signing domains reported as passing
    spf: str = "none"
    dkim: str = "none"  # the first DKIM result reported (pass / fail / neutral / …)
    dmarc: str = "none"


_RESINFO = re.compile(r"\b(dkim|spf|dmarc)\s*=\s*([a-z]+)([^;]*)", re.IGNORECASE)
_HEADER_D = re.compile(r"\bheader\.d\s*=\s*\"?([A-Za-z0-9.\-]+)", re.IGNORECASE)


def mta_results(raw: bytes, trusted_ids: list[str] | tuple[str, ...]) -> MtaResults:
    """The results in the topmost Authentication-Results (or Received-SPF) header, when
    it was written by one of `trusted_ids`; nothing otherwise."""
    if not trusted_ids:
        return MtaResults()
    trusted = {i.lower() for i in trusted_ids}
    headers = _top_headers(raw)
    results = next((v for n, v in headers if n == "authentication-results"), None)
    if results is not None and _authserv_id(results) in trusted:
        return _parse_results(results)
    received_spf = next((v for n, v in headers if n == "received-spf"), None)
    if received_spf is not None and _spf_receiver(received_spf) in trusted:
        return MtaResults(spf=(received_spf.split(None, 1) or ["none"])[0].lower())
    return MtaResults()


def _parse_results(value: str) -> MtaResults:
    dkim_domains: list[str] = []
    first: dict[str, str] = {}
    for method, result, props in _RESINFO.findall(value.split(";", 1)[-1]):
        method, result = method.lower(), result.lower()
        first.setdefault(method, result)
        if method == "dkim" and result == "pass":
            match = _HEADER_D.search(props)
            if match:
                dkim_domains.append(match.group(1).lower())
    return MtaResults(
        tuple(dkim_domains),
        first.get("spf", "none"),
        first.get("dkim", "none"),
        first.get("dmarc", "none"),
    )


def topmost_authserv_id(raw: bytes) -> str | None:
    """Who wrote the topmost Authentication-Results: the mailbox that received this copy."""
    value = next((v for n, v in _top_headers(raw) if n == "authentication-results"), None)
    return _authserv_id(value) or None if value is not None else None


def _authserv_id(value: str) -> str:
    return value.split(";", 1)[0].strip().split()[0].lower() if value.strip() else ""


def _spf_receiver(value: str) -> str:
    match = re.search(r"\breceiver\s*=\s*([^;\s]+)", value, re.IGNORECASE)
    return match.group(1).lower() if match else ""


def _top_headers(raw: bytes) -> list[tuple[str, str]]:
    """(lower-case name, unfolded value) of the header block, in order."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0].decode("latin-1")
    out: list[tuple[str, str]] = []
    for line in re.split(r"\r?\n", head):
        if line[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], f"{out[-1][1]} {line.strip()}")
        elif ":" in line:
            name, _, value = line.partition(":")
            out.append((name.strip().lower(), value.strip()))
    return out
