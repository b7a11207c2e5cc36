"""Exchange API *secret* keys named as such (secret, secretKey, api_secret, 密钥).

API *public* keys (API key, apiKey) are what support needs to diagnose an API
problem, so a value labelled that way is never taken.
"""

from __future__ import annotations

import re

from kefu.shield import keywords
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan, letter_before

KIND = "api_secret"

_KEYWORD = r"(?:(?:apisecret|secret)(?:[ _-]?key)?(?![a-z])|密钥|密鑰|私密金鑰)"
# Whatever stands between the label and the value, as long as it does not name
# a public key (a line like "secret key and api key: …").
_BETWEEN = r"(?:(?!api[ _-]?key|apikey|public|公钥|公鑰)[^\n。！？]){0,30}?\n?\s*"
_VALUE = r"(?<![a-z0-9+/_-])(?P<s>[a-z0-9+/_-][a-z0-9+/=_-]{15,127})(?![a-z0-9+/=_-])"
_PATTERN = re.compile(_KEYWORD + _BETWEEN + _VALUE)


def find(scan: Scan) -> list[Finding]:
    findings = []
    for pos in scan.positions(keywords.API_SECRET):
        match = _PATTERN.match(scan.lower, pos)
        if match is None or letter_before(scan.lower, pos):
            continue
        if _looks_like_secret(match.group("s")):
            findings.append(Finding(KIND, match.start("s"), match.end("s")))
    return findings


def _looks_like_secret(value: str) -> bool:
    """Generated secrets mix letters and digits; words and plain numbers do not."""
    core = value.strip("=_-")
    has_digit = any(ch.isdigit() for ch in core)
    has_alpha = any(ch.isalpha() for ch in core)
    return len(core) >= 16 and has_digit and has_alpha
