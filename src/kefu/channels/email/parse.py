"""Turn raw RFC 5322 bytes into a `ParsedEmail`, whatever the sender's client did.

Built on the stdlib `email` package with `policy=compat32`: it is the policy that never
raises on header access, and it keeps raw header values so that we can decode them
ourselves (raw 8-bit GBK names, broken or adjacent RFC 2047 words, commas inside
encoded words). The rule of this module: never raise on bad input. Whatever could be
read is returned, and what was malformed is listed in `ParsedEmail.defects`.

See docs/subsystems/email-parsing.md for what is handled and the measured conformance.
"""

from __future__ import annotations

import binascii
import codecs
import email
import html
import re
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from io import BytesIO
from typing import Any
from urllib.parse import unquote_to_bytes

from kefu.channels.email import boundaries

__all__ = ["ParsedAttachment", "ParsedEmail", "decode_bytes", "html_to_text", "parse_email"]


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    """One non-body MIME leaf, or a whole forwarded message (`message/rfc822`)."""

    filename: str
    content_type: str
    size: int
    content_id: str | None
    data: bytes = field(repr=False)
    inline: bool


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    """The normalised content of one email. Lists are tuples: the value is frozen."""

    from_address: str
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    reply_to: tuple[str, ...]
    subject: str | None
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    date: str | None
    text: str
    html: str | None
    attachments: tuple[ParsedAttachment, ...]
    auto_reply: bool
    bounce: bool
    forwarded: bool
    defects: tuple[str, ...]

    def to_json_dict(self) -> dict[str, Any]:
        """The shape `kefu email parse FILE.eml` prints."""
        return {
            "from": {"address": self.from_address, "name": self.from_name},
            "to": list(self.to),
            "cc": list(self.cc),
            "subject": self.subject,
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "text": self.text,
            "html": self.html,
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size}
                for a in self.attachments
            ],
            "auto_reply": self.auto_reply,
        }


# --------------------------------------------------------------------------- charsets

# Labels that lie: GB2312 mail routinely carries GBK/GB18030 characters, Big5 mail
# carries HKSCS, "iso-8859-1" HTML is really windows-1252 (as browsers assume).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "x-euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "unicode-1-1-utf-7": "utf-7",
    "tis-620": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "us-ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
}
_FALLBACKS = {
    "big5": ("big5hkscs",),
    "iso2022_jp": ("x-cp50221", "iso2022_jp_2"),
}
_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def _codec_name(label: str | None) -> str | None:
    """Python codec name for a MIME charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower().split("*", 1)[0]
    label = _CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _candidates(declared: str | None, data: bytes) -> tuple[str, ...]:
    if declared is None:
        return ("iso2022_jp", "x-cp50221") if b"\x1b$" in data else ()
    if declared == "iso8859-1" and _C1_BYTES.search(data):
        return ("cp1252", declared)  # C1 controls are never meant; windows-1252 is
    return (declared, *_FALLBACKS.get(declared, ()))


def decode_bytes(data: bytes, label: str | None) -> tuple[str, str | None]:
    """Decode `data` declared as `label`: declared, then utf-8, gb18030, latin-1.

    Returns the text and a defect note when the declared charset did not fit.
    """
    for name in _candidates(_codec_name(label), data):
        try:
            if name == "x-cp50221":
                return _decode_iso2022jp_via_cp932(data), None
            return data.decode(name), None
        except UnicodeDecodeError:
            continue
    return _decode_fallback(data, label)


def _decode_iso2022jp_via_cp932(data: bytes) -> str:
    """Decode ISO-2022-JP as CP50221 does: NEC/IBM extensions (①, ㈱) via Shift_JIS.

    Python's iso2022 codecs reject the NEC row-13 characters that Japanese clients
    send under the plain "iso-2022-jp" label.
    """
    out = bytearray()
    mode = "ascii"
    i = 0
    while i < len(data):
        if data[i] == 0x1B and i + 2 < len(data):
            seq = data[i + 1 : i + 3]
            mode = {b"$B": "jis", b"$@": "jis", b"(I": "kana"}.get(seq, "ascii")
            i += 3
            continue
        byte = data[i]
        if mode == "jis" and byte > 0x20 and i + 1 < len(data):
            out += _jis_to_sjis(byte, data[i + 1])
            i += 2
            continue
        out.append(byte + 0x80 if mode == "kana" and 0x21 <= byte <= 0x5F else byte)
        i += 1
    return out.decode("cp932")


def _jis_to_sjis(j1: int, j2: int) -> bytes:
    s1 = (j1 + 1) // 2 + (0x70 if j1 <= 0x5E else 0xB0)
    s2 = (j2 + (0x1F if j2 <= 0x5F else 0x20)) if j1 % 2 else j2 + 0x7E
    return bytes((s1, s2))


def _looks_like_gb(data: bytes) -> bool:
    """GB text comes in byte pairs; Latin-1 text has lone high bytes between letters."""
    high = lone = 0
    i = 0
    while i < len(data):
        if data[i] >= 0x80:
            high += 1
            nxt = data[i + 1] if i + 1 < len(data) else 0
            if nxt < 0x80:
                lone += 1
            i += 2
            continue
        i += 1
    return high > 0 and lone * 4 <= high


def _decode_fallback(data: bytes, label: str | None) -> tuple[str, str | None]:
    note = f"charset {label!r} did not fit" if label else None
    try:
        return data.decode("utf-8"), note
    except UnicodeDecodeError:
        pass
    if _looks_like_gb(data):
        try:
            return data.decode("gb18030"), note
        except UnicodeDecodeError:
            pass
    return data.decode("cp1252", errors="replace").replace("\ufffd", "?"), (
        f"undecodable text in charset {label or 'unlabelled'!r}; read as windows-1252"
    )


# --------------------------------------------------------------------------- headers

_ENCODED_WORD = re.compile(r"=\?([^?\s\"]+)\?([QqBb])\?(.*?)\?=", re.DOTALL)
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_NEWLINES = re.compile(r"[\r\n]+")


def _word_bytes(encoding: str, text: str) -> bytes:
    raw = text.encode("ascii", "surrogateescape")
    if encoding in "Qq":
        return _QP_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), raw.replace(b"_", b" "))
    cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", raw)
    cleaned += b"=" * (-len(cleaned) % 4)
    try:
        return binascii.a2b_base64(cleaned)
    except binascii.Error:
        return b""


def decode_words(value: str, *, quote: bool = False, hint: str | None = None) -> str:
    """Decode RFC 2047 encoded words, lenient about everything real mail gets wrong.

    Adjacent words of one charset are joined as bytes before decoding (clients split
    multibyte characters across words). With `quote`, each decoded run becomes an
    RFC 5322 quoted-string, so that commas in names survive address parsing.
    """
    out: list[str] = []
    pending: list[tuple[str, bytes]] = []
    last_end = 0
    in_quotes = False
    for match in _ENCODED_WORD.finditer(value):
        gap = value[last_end : match.start()]
        if gap.strip() or not pending:
            _flush_words(pending, out, quote=quote and not in_quotes, hint=hint)
            out.append(gap)
            in_quotes ^= gap.count('"') % 2 == 1
        charset, encoding, text = match.groups()
        pending.append((charset, _word_bytes(encoding, text)))
        last_end = match.end()
    _flush_words(pending, out, quote=quote and not in_quotes, hint=hint)
    out.append(value[last_end:])
    return "".join(out)


def _flush_words(
    pending: list[tuple[str, bytes]], out: list[str], *, quote: bool, hint: str | None
) -> None:
    texts: list[str] = []
    while pending:
        charset = pending[0][0]
        run = b""
        while pending and pending[0][0].lower() == charset.lower():
            run += pending.pop(0)[1]
        texts.append(decode_bytes(run, charset)[0])
    if texts:
        text = "".join(texts)
        out.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if quote else text)


def _header_text(raw: str, hint: str | None) -> str:
    """A raw compat32 header value (8-bit as surrogates) as unfolded text."""
    data = _FOLD.sub("", raw).encode("ascii", "surrogateescape")
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _codec_name(hint)
    if declared and not declared.startswith(("iso8859", "cp125", "ascii")):
        text, defect = decode_bytes(data, hint)  # a multibyte body charset is the best bet
        if defect is None:
            return text
    return _decode_fallback(data, None)[0]


class _Headers:
    """Header lookup on the raw values, decoded on demand."""

    def __init__(self, msg: Message, hint: str | None) -> None:
        self._raw: dict[str, list[str]] = {}
        for name, value in msg.raw_items():
            self._raw.setdefault(name.strip().lower(), []).append(value)
        self.hint = hint

    def has(self, name: str) -> bool:
        return name in self._raw

    def all(self, name: str) -> list[str]:
        """Every occurrence, unfolded and 8-bit-decoded, encoded words left alone."""
        return [_header_text(raw, self.hint).strip() for raw in self._raw.get(name, [])]

    def text(self, name: str) -> str | None:
        """The first occurrence, unfolded and 8-bit-decoded, encoded words left alone."""
        raw = self._raw.get(name)
        return _header_text(raw[0], self.hint).strip() if raw else None

    def decoded(self, name: str) -> str | None:
        value = self.text(name)
        return None if value is None else _NEWLINES.sub("", decode_words(value, hint=self.hint))


# --------------------------------------------------------------------------- addresses

_TRAILING_COMMENT = re.compile(r"\s*\([^()]*\)\s*$")


def _mailboxes(value: str | None, hint: str | None) -> list[tuple[str, str]]:
    if not value:
        return []
    prepared = decode_words(value, quote=True, hint=hint)
    boxes = [(name.strip(), addr.strip()) for name, addr in getaddresses([prepared])]
    if '"' not in value:  # a phrase wins over a trailing (comment)
        boxes = [(_TRAILING_COMMENT.sub("", n) or n, a) for n, a in boxes]
    return [(n, a) for n, a in boxes if n or a]


def _addresses(value: str | None, hint: str | None) -> tuple[str, ...]:
    return tuple(addr for _, addr in _mailboxes(value, hint) if addr)


def _clean_address(addr: str) -> str:
    """Repair a From address the way a human would read it (quotes, spaces, '>')."""
    return re.sub(r'[\s"<>]', "", addr)


def _sender(headers: _Headers, defects: list[str]) -> tuple[str, str]:
    """Pick the sender: the first From mailbox with an address, else Reply-To."""
    candidates = [
        (raw, box) for raw in headers.all("from") for box in _mailboxes(raw, headers.hint)
    ]
    for raw, (name, addr) in candidates:
        if "@" in addr:
            return _checked_sender(raw, name, addr, defects)
    for _, (name, _addr) in candidates:
        if "@" in name and " " not in name.strip():
            defects.append("From address is only a display name")
            return _clean_address(name), ""
    for name, addr in _mailboxes(headers.text("reply-to"), headers.hint):
        if addr:
            defects.append("From has no address; sender taken from Reply-To")
            return addr, name
    if candidates:
        defects.append("From address is malformed")
        name, addr = candidates[0][1]
        return addr, name
    defects.append("no From header")
    return "", ""


def _checked_sender(raw: str, name: str, addr: str, defects: list[str]) -> tuple[str, str]:
    """Repair `Name addr@x` (no brackets) and `<addr with spaces@x>` the way a human would."""
    if '"' in raw and "<" not in raw and not name:
        defects.append(f"From has a quoted address and no angle brackets: {raw[:80]!r}")
    if not re.search(r'[\s"<>]', addr):
        return addr, name
    defects.append(f"From address is malformed: {raw[:80]!r}")
    if not re.search(r'[<>"]', raw) and " " in addr:
        head, addr = addr.rsplit(" ", 1)
        name = name or head
    return _clean_address(addr), name


def _message_ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    ids = re.findall(r"<[^<>\s]+>", value)
    return tuple(ids) if ids else tuple(value.split())


def _iso_date(value: str | None, defects: list[str]) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append(f"unreadable Date {value[:60]!r}")
        return None


# --------------------------------------------------------------------------- repair

_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


def _repair_header_block(raw: bytes, defects: list[str]) -> bytes:
    """Make the top header block parseable: drop leading junk, glue stray lines.

    The stdlib ends the headers at the first line that is not a header; Zammad's
    corpus has mail whose first line is "---- Original email message ----" and whose
    continuation lines lost their indentation.
    """
    match = _BLANK_LINE.search(raw)
    end = match.start() if match else len(raw)
    lines = raw[:end].splitlines()
    if all(_HEADER_LINE.match(ln) or ln[:1] in b" \t" or ln[:5] == b"From " for ln in lines):
        return raw
    while lines and not _HEADER_LINE.match(lines[0]) and lines[0][:5] != b"From ":
        defects.append(f"skipped junk line before headers: {lines.pop(0)[:60]!r}")
    fixed = [ln if _HEADER_LINE.match(ln) or ln[:1] in b" \t" else b" " + ln for ln in lines]
    if fixed != lines:
        defects.append("header lines without indentation were treated as continuations")
    return b"\r\n".join(fixed) + raw[end:]


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "center", "dd", "div", "dl"),
        *("dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3"),
        *("h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre"),
        *("section", "table", "tbody", "thead", "tfoot", "tr", "ul"),
    )
)
_SKIPPED_TAGS = frozenset(("script", "style", "title", "head", "template"))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._boundary(tag, opening=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._boundary(tag, opening=False)

    def handle_data(self, data: str) -> None:
        if not self._skip:  # source line breaks are spaces in HTML, except in <pre>
            self.parts.append(data if self._pre else re.sub(r"[ \t\r\n\f]+", " ", data))

    def _boundary(self, tag: str, *, opening: bool) -> None:
        if tag == "pre":
            self._pre = max(0, self._pre + (1 if opening else -1))
        if tag in _SKIPPED_TAGS and tag != "head":
            self._skip = max(0, self._skip + (1 if opening else -1))
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th") and not opening:
            self.parts.append(" ")


def html_to_text(markup: str) -> str:
    """Readable plain text from an HTML body: blocks become lines, entities decoded."""
    parser = _TextExtractor()
    try:
        parser.feed(markup)
        parser.close()
    except AssertionError:  # HTMLParser asserts on some malformed declarations
        return _tidy_text(html.unescape(re.sub(r"<[^>]*>", " ", markup)))
    return _tidy_text("".join(parser.parts))


def _tidy_text(text: str) -> str:
    lines = [re.sub(r"[ \t\f\v\xa0\u200b]+", " ", ln).strip() for ln in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --------------------------------------------------------------------------- MIME parts

_PARAM = re.compile(r';\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')
_SECTION = re.compile(r"(.+?)\*(\d+)?\*?")
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_CID_FILENAME = re.compile(r"^(.+?\.[A-Za-z0-9]{2,6})@")
_UUENCODE = frozenset(("x-uuencode", "uuencode", "uue", "x-uue"))
_NAMED_TYPES = {
    "message/delivery-status": ("delivery-status", "txt"),
    "text/plain": ("document", "txt"),
    "text/html": ("document", "html"),
    "text/calendar": ("calendar", "ics"),
    "video/quicktime": ("video", "mov"),
    "image/jpeg": ("image", "jpg"),
    "image/jpg": ("image", "jpg"),
    "image/png": ("image", "png"),
    "image/gif": ("image", "gif"),
}


def _params(value: str) -> dict[str, str]:
    """Header parameters, with RFC 2231 continuations and charset'lang'value joined."""
    plain: dict[str, str] = {}
    sections: dict[str, list[tuple[int, bool, str]]] = {}
    for match in _PARAM.finditer(value):
        key, text = match.group(1).lower(), match.group(2).strip()
        if text.startswith('"'):
            text = re.sub(r"\\(.)", r"\1", text[1:-1] if text.endswith('"') else text[1:])
        section = _SECTION.fullmatch(key)
        if section and "*" in key:
            index = int(section.group(2) or 0)
            sections.setdefault(section.group(1), []).append((index, key.endswith("*"), text))
        else:
            plain.setdefault(key, text)
    for key, pieces in sections.items():
        plain[key] = _join_rfc2231(sorted(pieces))
    return plain


def _join_rfc2231(pieces: list[tuple[int, bool, str]]) -> str:
    charset = None
    data = b""
    for _, encoded, text in pieces:
        if encoded and charset is None and text.count("'") >= 2:
            charset, _, text = text.split("'", 2)
        raw = text.encode("utf-8", "surrogateescape")
        data += unquote_to_bytes(raw) if encoded else raw
    return decode_bytes(data, charset or "utf-8")[0]


@dataclass(frozen=True, slots=True)
class _Head:
    """What the headers of one MIME part say about it."""

    ctype: str
    charset: str | None
    disposition: str
    filename: str | None
    content_id: str | None
    description: str
    transfer_encoding: str

    @classmethod
    def of(cls, part: Message, hint: str | None) -> _Head:
        headers = _Headers(part, hint)
        ctype_params = _params(headers.text("content-type") or "")
        disposition_value = headers.text("content-disposition") or ""
        disposition_params = _params(disposition_value)
        raw_name = disposition_params.get("filename") or ctype_params.get("name")
        name = _NEWLINES.sub("", decode_words(raw_name, hint=hint)).strip() if raw_name else ""
        cid = (headers.text("content-id") or "").strip().strip("<>").strip()
        return cls(
            ctype=part.get_content_type(),
            charset=ctype_params.get("charset"),
            disposition=disposition_value.split(";", 1)[0].strip().lower(),
            filename=name.replace("/", "_").replace("\\", "_") or None,
            content_id=cid or None,
            description=decode_words(headers.text("content-description") or "").strip(),
            transfer_encoding=(headers.text("content-transfer-encoding") or "").lower(),
        )

    @property
    def is_body_text(self) -> bool:
        return (
            self.ctype in ("text/plain", "text/html")
            and self.disposition != "attachment"
            and self.filename is None
        )


_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_NOT_BASE64 = bytes(b for b in range(256) if b not in _BASE64_ALPHABET)


def _payload_bytes(part: Message, head: _Head) -> bytes:
    """Transfer-decode a leaf leniently (bad padding, missing 'begin' lines)."""
    # The raw stored string: get_payload() would already decode 8-bit text with a guess.
    payload = getattr(part, "_payload", None)
    if not isinstance(payload, str):
        return b""
    data = payload.encode("ascii", "surrogateescape")
    encoding = head.transfer_encoding
    if encoding == "base64":
        cleaned = data.translate(None, _NOT_BASE64)
        cleaned = cleaned[: len(cleaned) - (len(cleaned) % 4 == 1)]
        return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))
    if encoding == "quoted-printable":
        return binascii.a2b_qp(data)
    if encoding in _UUENCODE:
        return _uudecode(data)
    return _identity_decoded(data, head)


def _uudecode(data: bytes) -> bytes:
    out = bytearray()
    for line in data.splitlines():
        if line.startswith(b"begin ") or line.strip() in (b"end", b""):
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:  # some encoders pad lines; trust the length byte
            out += binascii.a2b_uu(line[: (((line[0] - 32) & 63) * 4 + 5) // 3 + 1])
    return bytes(out)


def _embedded_bytes(part: Message, head: _Head, walk: _Walk) -> bytes:
    """An embedded message (message/rfc822, delivery-status) as it was on the wire.

    The stdlib keeps only the parsed form, and regenerating it changes bytes, so the
    raw text is cut out of the original message.
    """
    if walk.raw_bodies is None:
        walk.raw_bodies = {}
        _index_raw(walk.root, walk.raw, walk.raw_bodies)
    data = walk.raw_bodies.get(id(part))
    if data is None:
        out = BytesIO()
        BytesGenerator(out, mangle_from_=False, policy=compat32).flatten(part, linesep="\n")
        data = out.getvalue().split(b"\n\n", 1)[-1]
    return _identity_decoded(data, head)


def _identity_decoded(data: bytes, head: _Head) -> bytes:
    """7bit is lines of text whose CRLF belongs to SMTP: store LF. 8bit/binary: as sent."""
    if head.transfer_encoding in ("8bit", "binary"):
        return data
    return data.replace(b"\r\n", b"\n")


_HEAD_END = re.compile(rb"\r?\n\r?\n")


def _index_raw(part: Message, entity: bytes, out: dict[int, bytes]) -> None:
    """Map every part to its raw body by splitting at the boundaries ourselves."""
    if entity[:1] in (b"\n", b"\r"):  # a part without headers
        body = entity.split(b"\n", 1)[1]
    else:
        split = _HEAD_END.search(entity)
        body = entity[split.end() :] if split else b""
    out[id(part)] = body
    payload = part.get_payload()
    if not isinstance(payload, list):
        return
    if part.get_content_maintype() != "multipart":
        if len(payload) == 1 and isinstance(payload[0], Message):
            _index_raw(payload[0], body, out)
        return
    boundary = part.get_boundary()
    if not boundary:
        return
    marker = re.escape(boundary.encode("utf-8", "surrogateescape"))
    segments = re.split(rb"(?:^|\r?\n)--" + marker, body)[1:]
    for child, segment in zip(payload, segments, strict=False):
        _index_raw(child, segment.split(b"\n", 1)[1] if b"\n" in segment else b"", out)


def _attachment_name(part: Message, head: _Head) -> str:
    if head.filename:
        return head.filename
    if head.ctype == "message/rfc822":
        return _forwarded_name(part, head)
    cid_name = _CID_FILENAME.match(head.content_id or "")
    if cid_name:
        return cid_name.group(1)
    if head.ctype in _NAMED_TYPES:
        base, ext = _NAMED_TYPES[head.ctype]
        return f"{head.description or base}.{ext}"
    if head.content_id and "@" in head.content_id:
        return head.content_id.split("@", 1)[0]
    return "file"


def _forwarded_name(part: Message, head: _Head) -> str:
    inner = next((c for c in part.get_payload() if isinstance(c, Message)), None)
    subject = _Headers(inner, None).decoded("subject") if inner is not None else None
    name = (subject or "").strip() or head.description or "message"
    return f"{name}.eml".replace("/", "_")


# --------------------------------------------------------------------------- MIME walk


@dataclass
class _Walk:
    """Mutable state of one MIME walk: the body found so far and the attachments."""

    hint: str | None
    defects: list[str]
    root: Message
    raw: bytes
    raw_bodies: dict[int, bytes] | None = None
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    forwarded: bool = False
    report: bool = False

    @property
    def has_body(self) -> bool:
        return bool(self.plain or self.html)


def _walk(part: Message, walk: _Walk, *, in_body_tree: bool = True) -> None:
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        _walk_multipart(part, walk, in_body_tree=in_body_tree)
        return
    head = _Head.of(part, walk.hint)
    if part.is_multipart():  # message/rfc822, message/delivery-status
        walk.forwarded |= head.ctype == "message/rfc822"
        walk.report |= head.ctype == "message/delivery-status"
        _add_attachment(part, head, walk, _embedded_bytes(part, head, walk))
        return
    data = _payload_bytes(part, head)
    if in_body_tree and head.is_body_text:
        text = _part_text(data, head, walk)
        (walk.html if head.ctype == "text/html" else walk.plain).append(text)
        return
    _add_attachment(part, head, walk, data)


def _walk_multipart(part: Message, walk: _Walk, *, in_body_tree: bool) -> None:
    children = [c for c in part.get_payload() if isinstance(c, Message)]
    ctype = part.get_content_type()
    walk.report |= ctype == "multipart/report"
    if ctype == "multipart/alternative" and in_body_tree and not walk.has_body:
        _walk_alternative(children, walk)
        return
    if ctype in ("multipart/signed", "multipart/encrypted") and children:
        _walk(children[0], walk, in_body_tree=in_body_tree and ctype == "multipart/signed")
        for child in children[1:]:
            _walk(child, walk, in_body_tree=False)
        return
    for child in children:
        _walk(child, walk, in_body_tree=in_body_tree and _continues_body(child, walk))


def _continues_body(child: Message, walk: _Walk) -> bool:
    """After the body, only more text of the same kind continues it.

    Apple Mail interleaves inline text parts with inline attachments; a second
    text/html next to a text/plain+html body is an attached document instead.
    """
    if not walk.has_body or child.get_content_maintype() == "multipart":
        return True
    kind = "text/html" if walk.html and not walk.plain else "text/plain"
    return child.get_content_type() == kind


def _walk_alternative(children: list[Message], walk: _Walk) -> None:
    """Take the plain and the richest HTML alternative; the rest are attachments."""
    plain = next((c for c in children if c.get_content_type() == "text/plain"), None)
    if plain is not None:
        _walk(plain, walk)
    saved_plain, walk.plain = walk.plain, []
    for child in children:
        if child is not plain:
            _walk(child, walk, in_body_tree=not walk.html)
    walk.plain = saved_plain or walk.plain


def _part_text(data: bytes, head: _Head, walk: _Walk) -> str:
    label = head.charset
    if label is None and head.ctype == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        label = meta.group(1).decode("ascii") if meta else None
    text, defect = decode_bytes(data, label or walk.hint)
    if defect:
        walk.defects.append(defect)
    return text


def _add_attachment(part: Message, head: _Head, walk: _Walk, data: bytes) -> None:
    walk.attachments.append(
        ParsedAttachment(
            filename=_attachment_name(part, head),
            content_type=head.ctype,
            size=len(data),
            content_id=head.content_id,
            data=data,
            inline=head.disposition == "inline"
            or (head.content_id is not None and head.disposition != "attachment"),
        )
    )


# --------------------------------------------------------------------------- flags

_AUTO_SUBJECT = re.compile(
    r"^\s*(vacation|out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply"
    r"|abwesenheitsnotiz|automatische antwort|r[ée]ponse automatique|自动回复|自動回覆|休假)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery status notification|returned mail|mail delivery failed"
    r"|delivery failure|failure notice|退信|投递失败|系统退信",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|wg|tr|rv|enc|转发|轉寄|转寄)\s*[:：]", re.IGNORECASE)
_FORWARD_MARKER = re.compile(
    r"^-+ ?(forwarded message|转发邮件信息|转发的邮件|轉寄的郵件) ?-+\s*$"
    r"|^(begin forwarded message|开始转发的邮件)[:：]",
    re.IGNORECASE | re.MULTILINE,
)


def _is_auto_reply(headers: _Headers, subject: str) -> bool:
    auto_submitted = (headers.text("auto-submitted") or "").lower()
    precedence = (headers.text("precedence") or "").lower()
    suppress = (headers.text("x-auto-response-suppress") or "").lower()
    return bool(
        (auto_submitted and not auto_submitted.startswith("no"))
        or any(headers.has(h) for h in ("x-autoreply", "x-autorespond", "x-auto-reply"))
        or precedence in ("bulk", "junk", "list", "auto_reply")
        or headers.has("list-id")
        or (
            re.search(r"\b(all|oof|autoreply)\b", suppress) is not None
            and headers.has("x-ms-exchange-inbox-rules-loop")
        )
        or (headers.text("return-path") or "").replace(" ", "") == "<>"
        or _AUTO_SUBJECT.search(subject) is not None
    )


def _is_bounce(walk: _Walk, subject: str, sender: str) -> bool:
    if walk.report and any(a.content_type == "message/delivery-status" for a in walk.attachments):
        return True
    local = sender.split("@", 1)[0].lower()
    return local in ("mailer-daemon", "postmaster") and _BOUNCE_SUBJECT.search(subject) is not None


def _is_forwarded(walk: _Walk, subject: str, text: str) -> bool:
    return bool(walk.forwarded or _FORWARD_SUBJECT.search(subject) or _FORWARD_MARKER.search(text))


# --------------------------------------------------------------------------- entry point

boundaries.install()  # the stdlib parser's boundary lines without a regex per message


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse raw message bytes. Never raises: failures become `defects`."""
    defects: list[str] = []
    try:
        return _parse(raw, defects)
    except Exception as exc:  # the contract: never raise on bad input
        defects.append(f"parser failure: {type(exc).__name__}: {exc}")
        return _empty(raw, defects)


def _parse(raw: bytes, defects: list[str]) -> ParsedEmail:
    repaired = _repair_header_block(raw, defects)
    msg = email.message_from_bytes(repaired, policy=compat32)
    defects.extend(type(d).__name__ for d in msg.defects)
    walk = _Walk(hint=_charset_hint(msg), defects=defects, root=msg, raw=repaired)
    _walk(msg, walk)
    headers = _Headers(msg, walk.hint)
    from_address, from_name = _sender(headers, defects)
    subject = headers.decoded("subject")
    text, markup = _body(walk)
    bounce = _is_bounce(walk, subject or "", from_address)
    return ParsedEmail(
        from_address=from_address,
        from_name=from_name,
        to=_addresses(headers.text("to"), walk.hint),
        cc=_addresses(headers.text("cc"), walk.hint),
        reply_to=_addresses(headers.text("reply-to"), walk.hint),
        subject=subject,
        message_id=(headers.text("message-id") or None),
        in_reply_to=next(iter(_message_ids(headers.text("in-reply-to"))), None),
        references=_message_ids(headers.text("references")),
        date=_iso_date(headers.text("date"), defects),
        text=text,
        html=markup,
        attachments=tuple(walk.attachments),
        auto_reply=bounce or _is_auto_reply(headers, subject or ""),
        bounce=bounce,
        forwarded=_is_forwarded(walk, subject or "", text),
        defects=tuple(defects),
    )


def _body(walk: _Walk) -> tuple[str, str | None]:
    markup = "\n".join(walk.html) if walk.html else None
    text = "\n".join(t.replace("\r\n", "\n").replace("\r", "\n") for t in walk.plain)
    if not text.strip() and markup is not None:
        text = html_to_text(markup)
    return text, markup


def _charset_hint(msg: Message) -> str | None:
    """The message's own charset, used for raw 8-bit headers that declare none."""
    for part in msg.walk():
        charset = part.get_content_charset()
        if charset and charset not in ("us-ascii", "ascii"):
            return charset
    return None


def _empty(raw: bytes, defects: list[str]) -> ParsedEmail:
    text = _decode_fallback(raw, None)[0]
    return ParsedEmail(
        from_address="",
        from_name="",
        to=(),
        cc=(),
        reply_to=(),
        subject=None,
        message_id=None,
        in_reply_to=None,
        references=(),
        date=None,
        text=text,
        html=None,
        attachments=(),
        auto_reply=False,
        bounce=False,
        forwarded=False,
        defects=tuple(defects),
    )
