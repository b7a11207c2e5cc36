"""Find and replace secrets in customer text. See docs/shield.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kefu.shield.detectors import (
    api_secret,
    card_number,
    password,
    private_key,
    seed_phrase,
    totp_code,
)
from kefu.shield.findings import KINDS, Finding
from kefu.shield.scan import Scan

__all__ = ["MARKERS", "Finding", "Redacted", "find_secrets", "marker", "redact_secrets"]

MARKERS: dict[str, dict[str, str]] = {
    "seed_phrase": {"zh-Hans": "[已隐藏:助记词]", "en": "[redacted: seed phrase]"},
    "private_key": {"zh-Hans": "[已隐藏:私钥]", "en": "[redacted: private key]"},
    "api_secret": {"zh-Hans": "[已隐藏:API密钥]", "en": "[redacted: API secret]"},
    "password": {"zh-Hans": "[已隐藏:密码]", "en": "[redacted: password]"},
    "verification_code": {"zh-Hans": "[已隐藏:验证码]", "en": "[redacted: verification code]"},
    "card_number": {"zh-Hans": "[已隐藏:银行卡号]", "en": "[redacted: card number]"},
}

_DETECTORS: tuple[Callable[[Scan], list[Finding]], ...] = (
    seed_phrase.find,
    private_key.find,
    card_number.find,
)
# These only look where their keywords are; most messages have none of them.
_KEYWORD_DETECTORS: tuple[Callable[[Scan], list[Finding]], ...] = (
    api_secret.find,
    password.find,
    totp_code.find,
)
# When two detectors claim the same span, the earlier kind is the more specific.
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Redacted:
    text: str
    findings: tuple[Finding, ...]


def find_secrets(text: str) -> tuple[Finding, ...]:
    """Non-overlapping findings in `text`, in order of position."""
    scan = Scan(text)
    found: list[Finding] = []
    for detect in _DETECTORS:
        found += detect(scan)
    if scan.keyword_matches:
        for detect in _KEYWORD_DETECTORS:
            found += detect(scan)
    return _resolve_overlaps(found) if found else ()


def redact_secrets(text: str, language: str = "en") -> Redacted:
    """Return `text` with every secret replaced by a marker in `language`."""
    findings = find_secrets(text)
    if not findings:
        return Redacted(text, ())
    out: list[str] = []
    pos = 0
    for finding in findings:
        out += [text[pos : finding.start], marker(finding.kind, language)]
        pos = finding.end
    out.append(text[pos:])
    return Redacted("".join(out), findings)


def marker(kind: str, language: str) -> str:
    return MARKERS[kind]["zh-Hans" if language.lower().startswith("zh") else "en"]


def _resolve_overlaps(found: list[Finding]) -> tuple[Finding, ...]:
    """Keep the longest finding of each overlapping group; ties go to the more specific kind."""
    if len(found) < 2:
        return tuple(found)
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (-f.length, _RANK[f.kind], f.start)):
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return tuple(sorted(kept, key=lambda f: f.start))
