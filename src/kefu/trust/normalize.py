"""Finding identities in pasted text and writing each in one canonical form.

Customers paste anything: a link, an email header line, "@handle", a phone number with
spaces, a sentence with all of these. `extract_candidates()` finds each identity, says
what kind it is, and normalises it so registry lookups are exact comparisons.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit

MAX_INPUT = 2000


class Kind(StrEnum):
    EMAIL = "email"
    DOMAIN = "domain"
    WEBSITE = "website"
    TELEGRAM = "telegram"
    X = "x"
    FACEBOOK = "facebook"
    PHONE = "phone"
    AGENT_ID = "agent_id"


HANDLE_KINDS = frozenset({Kind.TELEGRAM, Kind.X, Kind.FACEBOOK})
HOST_KINDS = frozenset({Kind.DOMAIN, Kind.WEBSITE})
SOCIAL_HOSTS = {
    "t.me": Kind.TELEGRAM,
    "telegram.me": Kind.TELEGRAM,
    "telegram.dog": Kind.TELEGRAM,
    "x.com": Kind.X,
    "twitter.com": Kind.X,
    "mobile.twitter.com": Kind.X,
    "facebook.com": Kind.FACEBOOK,
    "m.facebook.com": Kind.FACEBOOK,
    "fb.com": Kind.FACEBOOK,
    "fb.me": Kind.FACEBOOK,
}

# Letters impersonators use in names: Latin with accents, Greek, Cyrillic, Armenian.
_LETTERS = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u0531-\u058f"
_HOST_CHAR = f"{_LETTERS}0-9"
_STOP = "\\s<>\"'，。！？；、（）()【】「」"
URL = re.compile(rf"(?i)(?:https?://|www\.)[^{_STOP}]+")
SOCIAL_URL = re.compile(
    rf"(?i)(?<![{_HOST_CHAR}.\-])(?:t\.me|telegram\.me|x\.com|twitter\.com|facebook\.com|fb\.com)"
    rf"/[^{_STOP}]+"
)
_EMAIL = rf"[{_HOST_CHAR}._%+\-]+@[{_HOST_CHAR}\-]+(?:\.[{_HOST_CHAR}\-]+)+"
NAMED_EMAIL = re.compile(rf"(\"?[^<>\n\"]{{1,80}}\"?)\s*<\s*({_EMAIL})\s*>")
EMAIL = re.compile(_EMAIL)
HANDLE = re.compile(r"(?<![A-Za-z0-9_.@])@([A-Za-z0-9_\u0370-\u03ff\u0400-\u052f]{2,64})")
PHONE = re.compile(r"(?<![A-Za-z0-9+])(?:\+|00)\d[\d\s().\-]{5,22}\d(?![A-Za-z0-9])")
AGENT_ID = re.compile(r"(?<![A-Za-z0-9\-])([A-Za-z]{2,4})[-\s]?([0-9A-Za-z]{3,8})(?![A-Za-z0-9])")
DOMAIN = re.compile(
    rf"(?<![{_HOST_CHAR}@.\-])((?:[{_HOST_CHAR}](?:[{_HOST_CHAR}\-]{{0,61}}[{_HOST_CHAR}])?\.)+"
    rf"(?:xn--[a-z0-9\-]{{1,59}}|[{_LETTERS}]{{2,63}}))\.?(/[^{_STOP}]*)?",
    re.IGNORECASE,
)
BARE_HANDLE = re.compile(r"^@?([A-Za-z0-9_.\u0370-\u03ff\u0400-\u052f]{3,64})$")
FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "pdf", "txt", "eml", "doc", "docx", "zip"})
TRAILING_PUNCTUATION = ".,;:!?)]}'\"。，；：！？）】"


@dataclass(frozen=True)
class Candidate:
    """One identity found in the input. `kind` is None for an @handle of unknown platform."""

    kind: Kind | None
    raw: str
    normalized: str
    punycode: bool = False
    userinfo: str = ""  # text before "@" in a URL's authority: https://real.example@evil.com
    path: str = ""
    display_name: str = ""


def normalize_host(host: str) -> tuple[str, bool]:
    """Lower-case Unicode host without a trailing dot, and whether it was punycode."""
    host = unicodedata.normalize("NFKC", host.strip().lower()).rstrip(".")
    host = host.split(":", 1)[0]
    labels, punycode = [], False
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label[4:].encode("ascii").decode("punycode")
                punycode = True
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels), punycode


def normalize_handle(value: str) -> str:
    return unicodedata.normalize("NFKC", value.strip()).lstrip("@").lower()


def normalize_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[2:] if value.strip().startswith("00") else digits


def normalize_agent_id(value: str) -> str:
    return re.sub(r"[\s\-]", "", value.strip()).upper()


def normalize_email(value: str) -> str:
    local, _, host = value.strip().rpartition("@")
    return f"{local.lower()}@{normalize_host(host)[0]}"


def normalize_value(kind: Kind, value: str) -> str:
    """The canonical form of a registry value an admin typed."""
    if kind is Kind.EMAIL:
        return normalize_email(value.removeprefix("mailto:"))
    if kind in HOST_KINDS:
        text = value.strip()
        host = urlsplit(text if "://" in text else "https://" + text).hostname or text
        return normalize_host(host)[0]
    if kind in HANDLE_KINDS:
        text = value.strip()
        if "/" in text:
            text = text.rstrip("/").rsplit("/", 1)[1]
        return normalize_handle(text)
    if kind is Kind.PHONE:
        return normalize_phone(value)
    return normalize_agent_id(value)


def extract_candidates(
    text: str, hint: Kind | None = None, agent_prefixes: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Every identity in `text`, in order of appearance."""
    text = text.strip()[:MAX_INPUT]
    if hint is not None and (whole := _whole_as(text, hint)) is not None:
        return [whole]
    found: list[tuple[int, Candidate]] = []
    taken: list[tuple[int, int]] = []
    for finder in (_urls, _social_urls, _named_emails, _emails, _handles, _phones, _domains):
        for start, end, candidate in finder(text):
            if not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                found.append((start, candidate))
    for start, end, candidate in _agent_ids(text, agent_prefixes):
        if not any(start < e and s < end for s, e in taken):
            found.append((start, candidate))
    found.sort(key=lambda item: item[0])
    candidates = [_with_hint(c, hint) for _, c in found]
    if not candidates and (bare := BARE_HANDLE.match(text)) and not text.isdigit():
        candidates = [_with_hint(Candidate(None, text, normalize_handle(bare.group(1))), hint)]
    return candidates


def _with_hint(candidate: Candidate, hint: Kind | None) -> Candidate:
    if candidate.kind is None and hint in HANDLE_KINDS:
        return Candidate(hint, candidate.raw, candidate.normalized)
    return candidate


def _whole_as(text: str, hint: Kind) -> Candidate | None:
    """With a kind chosen, a bare phone number or agent id is taken as given."""
    if hint is Kind.PHONE and re.fullmatch(r"[\d\s().+\-]{7,30}", text):
        return Candidate(Kind.PHONE, text, normalize_phone(text))
    if hint is Kind.AGENT_ID and re.fullmatch(r"[A-Za-z0-9\s\-]{3,20}", text):
        return Candidate(Kind.AGENT_ID, text, normalize_agent_id(text))
    return None


Found = list[tuple[int, int, Candidate]]


def _clean(match: re.Match[str]) -> tuple[int, int, str]:
    raw = match.group(0).rstrip(TRAILING_PUNCTUATION)
    return match.start(), match.start() + len(raw), raw


def _urls(text: str) -> Found:
    result = []
    for match in URL.finditer(text):
        start, end, raw = _clean(match)
        candidate = url_candidate(raw)
        if candidate is not None:
            result.append((start, end, candidate))
    return result


def _social_urls(text: str) -> Found:
    result = []
    for match in SOCIAL_URL.finditer(text):
        start, end, raw = _clean(match)
        candidate = url_candidate(raw)
        if candidate is not None:
            result.append((start, end, candidate))
    return result


def url_candidate(raw: str) -> Candidate | None:
    """A link: a social profile when it points at a social network, else a website."""
    parts = urlsplit(raw if "://" in raw else "https://" + raw)
    netloc = parts.netloc
    userinfo, _, hostport = netloc.rpartition("@")
    if not hostport:
        return None
    host, punycode = normalize_host(hostport)
    path = unquote(parts.path + ("?" + parts.query if parts.query else ""))
    social = SOCIAL_HOSTS.get(host.removeprefix("www."))
    segments = [s for s in parts.path.split("/") if s]
    if social is not None and segments and not userinfo:
        if social is Kind.TELEGRAM and segments[0] == "s" and len(segments) > 1:
            segments = segments[1:]  # t.me/s/<channel> is the web preview of the same channel
        handle = "/".join(segments[:2]) if segments[0] in ("joinchat", "+") else segments[0]
        if handle.startswith("+"):
            handle = "+/" + handle[1:]
        return Candidate(social, raw, normalize_handle(handle))
    return Candidate(Kind.WEBSITE, raw, host, punycode, unquote(userinfo), path)


def _named_emails(text: str) -> Found:
    result = []
    for match in NAMED_EMAIL.finditer(text):
        display = match.group(1).strip().strip('"').strip()
        address = match.group(2)
        host = address.rpartition("@")[2]
        candidate = Candidate(
            Kind.EMAIL,
            match.group(0),
            normalize_email(address),
            normalize_host(host)[1],
            display_name=display,
        )
        result.append((match.start(), match.end(), candidate))
    return result


def _emails(text: str) -> Found:
    result = []
    for match in EMAIL.finditer(text):
        start, end, raw = _clean(match)
        address = raw.removeprefix("mailto:")
        punycode = normalize_host(address.rpartition("@")[2])[1]
        result.append((start, end, Candidate(Kind.EMAIL, raw, normalize_email(address), punycode)))
    return result


def _handles(text: str) -> Found:
    return [
        (m.start(), m.end(), Candidate(None, m.group(0), normalize_handle(m.group(1))))
        for m in HANDLE.finditer(text)
    ]


def _phones(text: str) -> Found:
    result = []
    for match in PHONE.finditer(text):
        digits = normalize_phone(match.group(0))
        if 7 <= len(digits) <= 15:
            candidate = Candidate(Kind.PHONE, match.group(0), digits)
            result.append((match.start(), match.end(), candidate))
    if (
        not result
        and re.fullmatch(r"[\d\s().\-]{7,20}", text)
        and len(re.sub(r"\D", "", text)) >= 7
    ):
        result.append((0, len(text), Candidate(Kind.PHONE, text, normalize_phone(text))))
    return result


def _domains(text: str) -> Found:
    result = []
    for match in DOMAIN.finditer(text):
        host_text = match.group(1)
        if host_text.rsplit(".", 1)[1].lower() in FILE_SUFFIXES:
            continue
        start, end, raw = _clean(match)
        if match.group(2):
            candidate = url_candidate(raw)
            if candidate is None:
                continue
            candidate = Candidate(
                Kind.DOMAIN if candidate.kind is Kind.WEBSITE else candidate.kind,
                *_fields_after_kind(candidate),
            )
        else:
            host, punycode = normalize_host(host_text)
            candidate = Candidate(Kind.DOMAIN, raw, host, punycode)
        result.append((start, end, candidate))
    return result


def _fields_after_kind(c: Candidate) -> tuple[str, str, bool, str, str, str]:
    return c.raw, c.normalized, c.punycode, c.userinfo, c.path, c.display_name


def _agent_ids(text: str, prefixes: frozenset[str]) -> Found:
    """Agent ids look like ticket numbers; only the exchange's own prefixes are taken."""
    result = []
    for match in AGENT_ID.finditer(text):
        if match.group(1).upper() in prefixes and sum(ch.isdigit() for ch in match.group(2)) >= 2:
            value = normalize_agent_id(match.group(0))
            result.append(
                (match.start(), match.end(), Candidate(Kind.AGENT_ID, match.group(0), value))
            )
    return result
