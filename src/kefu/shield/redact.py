"""Find and replace secrets in customer text (first, simple form; issue #3 completes it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKERS: dict[str, dict[str, str]] = {
    "password": {"zh-Hans": "[已隐藏:密码]", "en": "[redacted: password]"},
    "verification_code": {"zh-Hans": "[已隐藏:验证码]", "en": "[redacted: verification code]"},
    "card_number": {"zh-Hans": "[已隐藏:银行卡号]", "en": "[redacted: card number]"},
}


@dataclass(frozen=True)
class Finding:
    """A secret found in the original text: what kind and where, never the value."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Redacted:
    text: str
    findings: tuple[Finding, ...]


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "password",
        re.compile(r"(?:password|pwd|密码|密碼)\s*(?:is|是|为|:|：)?\s*(?P<s>\S{4,64})", re.I),
    ),
    (
        "verification_code",
        re.compile(
            r"(?:验证码|驗證碼|2fa code|verification code)\s*(?:is|是|:|：)?\s*(?P<s>\d{6})", re.I
        ),
    ),
)


def redact_secrets(text: str, language: str = "en") -> Redacted:
    """Return `text` with every secret replaced by a marker in `language`."""
    findings: list[Finding] = []
    for kind, pattern in _PATTERNS:
        findings += [Finding(kind, m.start("s"), m.end("s")) for m in pattern.finditer(text)]
    findings.sort(key=lambda f: f.start)
    lang = "zh-Hans" if language.startswith("zh") else "en"
    out, pos = [], 0
    for f in findings:
        if f.start < pos:
            continue
        out += [text[pos : f.start], MARKERS[f.kind][lang]]
        pos = f.end
    out.append(text[pos:])
    return Redacted("".join(out), tuple(findings))
