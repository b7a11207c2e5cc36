"""Find the new part of a plain-text email reply; the quoted history is kept aside.

Each line is given a kind, and a few rules over the sequence of kinds decide where
the reply ends (the approach of Discourse's email_reply_trimmer; the patterns here are
our own, with Chinese clients first-class: Foxmail/QQ "------------------ 原始邮件
------------------", Outlook "发件人:" blocks, Gmail "在 2024年3月1日 … 写道：").

Kinds: e empty · d delimiter line · s mobile signature · b embedded-mail marker
("On … wrote:", "-----Original Message-----") · h header of an embedded mail
("From:", "发件人：") · q quoted line (">") · t text.

See docs/subsystems/email-parsing.md for the measured conformance.
"""

from __future__ import annotations

import re

__all__ = ["split_quoted_reply", "strip_quoted_reply"]

_COLON = r"[ \t]*[:：]"
_DELIMITER = re.compile(r"^[ \t]*[-_,=+~#*ᐧ—]+[ \t]*$")
_BARE_QUOTE = re.compile(r"^[ \t>]*$")
_CONTINUATION = re.compile(r"\n[\s>\-]*")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_QUOTE = re.compile(r"^[ \t]*[A-Za-z]{0,3}>")  # "> " and Supercite "C> "
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")

_MOBILE_SIGNATURES = re.compile(
    "|".join(
        (
            r"^[ \t]*[(<]*sent (from|via|with|by) .+",
            r"^[ \t]*\w+ from mobile",
            r"^[ \t]*from my .{1,20}$",
            r"^[ \t]*get outlook for ",
            r"^[ \t]*envoyé depuis (mon|yahoo mail)",
            r"^[ \t]*von meinem .+ gesendet",
            r"^[ \t]*diese nachricht wurde von .+ gesendet",
            r"^[ \t]*inviato da ",
            r"^[ \t]*sendt fra min ",
            r"^[ \t]*enviado (do meu|desde mi) ",
            r"^[ \t]*(verzonden met|verstuurd vanaf mijn) ",
            r"^[ \t]*från min ",
            r"^[ \t]*(发自|來自|来自|從|从)我的.{0,20}(iphone|ipad|android|手机|手機|设备|裝置)",
            r"^[ \t]*(從|从)我的 ?(iphone|ipad).{0,4}(傳送|发送)",
            r"^[ \t]*(发自|来自)(网易|網易|qq|163|126)?.{0,8}(邮箱|郵箱|邮件)(大师|app)?[ \t]*$",
        )
    ),
    re.IGNORECASE,
)

_WROTE = (
    r"(wrote|writes|said|says|schrieb|geschrieben|schreef|het volgende geschreven|skrev"
    r"|escribió|escreveu|a\s+écrit|nous a dit|ha\s+scritto|napisał(\(a\))?|написал[аи]?"
    r"|пише|写道|寫道)"
)
_EMBEDDED = re.compile(
    "|".join(
        (
            # "On <date>, <someone> wrote:" in many languages, "在 … 写道：", "于 … 写道："
            rf"^[ \t<>-]*(on|at|am|le|el|em|op|il|dnia|dňa|den|in message|在)\s.*{_WROTE}\W*$",
            rf"^[ \t>]*\S.*(\d|@|\bvia\b|于|於).*{_WROTE}[ \t]*[:：]?[ \t.>-]*$",
            rf"^.+\b(wrote|schrieb)\s+(on|am)\b.+[^:]+{_COLON}",
            r"\d{4}.{1,80}\s?<\s*[^@<>\s]+@[^@<>\s.]+\.[^@<>\s]+>[:：]?[ \t]*$",
            # "Am 18.09.2013 um 16:24 schrieb X <x@y>:", "Den 15. jun. 2016 kl. 20.42 skrev …"
            r"^[ \t>]*(op|am|den|søn\.)\s.+\s(schreef|schrieb|skrev)\s[^:]+[:：]",
            # "20 окт. 2016 г. 19:37 пользователь "X" <x@y> написал:", "… napisał(a):"
            r"\d{4}.{1,80}(пользователь.{0,80})?(написал\w*|napisał\(a\)|пише)[:：]",
            r"^[ \t>]*20\d\d-\d\d-\d\d \d\d:\d\d GMT[+-]\d\d:\d\d [\w \t]+$",
            r"^[ \t>]*posted by .+ on \d{2}/\d{2}/\d{4}$",
            r"^[ \t>]*(begin forwarded message|début du message (réexpédié|transféré)"
            r"|开始转发的邮件|開始轉寄的郵件)\s*[:：]",
            r"^[ \t>*]*-{2,}[ \t]*(forwarded|original|reply)([ \t]+message)?[ \t]*-{2,}",
            r"^[ \t>*]*-{2,}[ \t]*(message transféré|ursprüngliche nachricht|original nachricht"
            r"|weitergeleitete nachricht|mensaje original|mensagem original|messaggio originale"
            r"|原始邮件|原始郵件|原邮件|转发邮件信息|轉寄郵件資訊|回复的原邮件|邮件原文"
            r"|转发的邮件|轉寄的郵件|转发邮件)[ \t]*-{2,}",
        )
    ),
    re.IGNORECASE,
)
_MARKER_START = re.compile(r"^[ \t>]*((on|at|am|le|el|em|op|il|dnia|dňa|den|在)\s|\d)", re.I)
# Markers that clients wrap over several lines: "On …" up to "wrote:" (and the like).
_SPLIT_MARKERS = (
    *(
        re.compile(
            rf"^[ \t<>-]*{opener}\s(?:(?!\b(?:{opener}|{wrote})\b).)+?\b(?:{wrote})[ \t.:：>-]*$",
            re.IGNORECASE | re.MULTILINE | re.DOTALL,
        )
        for opener, wrote in (
            ("on|at", "wrote|writes|says|said"),
            ("am", "schrieb|geschrieben|schrieben sie"),
            ("le", "a\\s+écrit|nous a dit"),
            ("el", "escribió"),
            ("em", "escreveu"),
            ("op", "schreef|het volgende geschreven"),
            ("il", "ha\\s+scritto"),
            ("dnia|dňa", "napisał(?:\\(a\\))?"),
            ("den", "skrev"),
        )
    ),
    re.compile(r"^[^\n]*?在\s[^\n]*?(?:\n[^\n]*?){0,3}(?:写道|寫道)[ \t:：]*$", re.MULTILINE),
    re.compile(r"\d{4}[^\n]{1,80}<\n[^@<>\s]+@[^@<>\s]+>[:：]?[ \t]*$", re.MULTILINE),
)

_HEADER_NAMES = (
    "from|to|cc|bcc|reply-to|subject|sent|date|fra|til|emne|sendt|de|expéditeur|à|"
    "destinataire|répondre à|objet|envoyé|von|an|betreff|gesendet|datum|para|assunto|"
    "asunto|enviado|enviada em|fecha|da|a|oggetto|data|inviato|van|aan|onderwerp|"
    "från|till|ämne|skickat|发件人|發件人|寄件者|收件人|收件者|抄送|副本|主题|主旨|"
    "日期|时间|時間|发送时间|發送時間|寄件日期|от|отправлено|кому|копия|тема|дата"
)
_HEADER = re.compile(rf"^[ \t*]*(?:{_HEADER_NAMES})[ \t*]*[:：].*\w", re.IGNORECASE)


def strip_quoted_reply(text: str) -> str:
    """The new part of a reply: quoted history, headers of quoted mail, signatures gone."""
    return split_quoted_reply(text)[0]


def split_quoted_reply(text: str) -> tuple[str, str]:
    """(new part, everything else). Agents see the rest collapsed, never dropped."""
    if not text.strip():
        return "", ""
    text = _join_split_markers(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    if all(_BARE_QUOTE.match(line) for line in lines):
        return "", text.strip()
    kept = _trim(lines, _classify(lines))
    rest = [line for index, line in enumerate(lines) if index not in kept]
    new = "\n".join(lines[index] for index in sorted(kept))
    return new.strip(), "\n".join(rest).strip()


def _classify(lines: list[str]) -> str:
    kinds = []
    in_code = False
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
            kinds.append("t")
            continue
        kinds.append("t" if in_code else _kind(line))
    return "".join(kinds)


def _kind(line: str) -> str:
    if not line.strip():
        return "e"
    if _DELIMITER.match(line):
        return "d"
    if _MOBILE_SIGNATURES.search(_MARKDOWN_LINK.sub(r"\1", line)):
        return "s"
    if _EMBEDDED.search(line):
        return "b"
    if _HEADER.match(line):
        return "h"
    if _QUOTE.match(line):
        return "q"
    return "t"


def _join_split_markers(text: str) -> str:
    """Clients wrap long "On <date>, <name> <addr> wrote:" lines; glue them back."""

    def glue(match: re.Match[str]) -> str:
        found = match.group(0)
        return found if found.count("\n") > 5 else _CONTINUATION.sub(" ", found)

    for pattern in _SPLIT_MARKERS:
        text = pattern.sub(glue, text)
    return "\n".join(_join_wrapped_lines(text.split("\n")))


def _join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join a dated line with the one or two after it when together they form a marker."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        starts_next = i + 1 < len(lines) and _MARKER_START.match(lines[i + 1])
        if re.search(r"[\d@<]", line) and not starts_next and not _EMBEDDED.search(line):
            for span in (1, 2):
                rest = [_CONTINUATION.sub("", "\n" + ln) for ln in lines[i + 1 : i + 1 + span]]
                joined = " ".join([line.rstrip(), *rest])
                complete = len(rest) == span and all(rest) and re.search(r"[:：]\s*$", joined)
                if complete and _EMBEDDED.search(joined):
                    line, i = joined, i + span
                    break
        out.append(line)
        i += 1
    return out


class _Lines:
    """The kinds of the lines still kept, with their original indexes."""

    def __init__(self, kinds: str) -> None:
        self.kinds = kinds
        self.index = list(range(len(kinds)))

    def keep_until(self, end: int) -> None:
        self.kinds, self.index = self.kinds[:end], self.index[:end]

    def drop(self, kind: str) -> None:
        pairs = [(k, i) for k, i in zip(self.kinds, self.index, strict=True) if k != kind]
        self.kinds = "".join(k for k, _ in pairs)
        self.index = [i for _, i in pairs]


def _trim(lines: list[str], kinds: str) -> set[int]:
    """Apply the rules in order; return the indexes of the lines of the reply."""
    if "t" not in kinds and "b" in kinds:  # nothing but quoted history
        return set()
    kept = _Lines(kinds)
    if "d" in kept.kinds:  # a delimiter line starts the signature or the quoted mail
        kept.keep_until(kept.kinds.index("d"))
    kept.drop("s")
    reply_at_end = re.fullmatch(r"b+e*q+[eq]*(t[te]*)", kept.kinds)
    if reply_at_end:  # bottom-posting under the quoted mail
        start = reply_at_end.start(1)
        kept.kinds, kept.index = kept.kinds[start:], kept.index[start:]
    _cut_at_embedded_marker(kept)
    kept.drop("b")
    _cut_at_header_block(kept)
    kept.drop("h")
    if "t" in kept.kinds:  # trailing quotes under the reply
        kept.keep_until(len(kept.kinds.rstrip("eq")))
    return set(kept.index)


def _cut_at_embedded_marker(kept: _Lines) -> None:
    """Text, then "On … wrote:", then quoted or unquoted history: cut at the marker."""
    unquoted = re.search(r"te*(b)[^q]*$", kept.kinds)
    if unquoted:
        kept.keep_until(unquoted.start(1))
        return
    quoted = re.search(r"te*(b)[eqbh]*([te]*)$", kept.kinds)
    # Many text lines after the quote mean an interleaved answer: keep it all.
    if quoted and quoted.group(2).count("t") < 7:
        kept.keep_until(quoted.start(1))


def _cut_at_header_block(kept: _Lines) -> None:
    """Text, then three or more header lines (Outlook's From/Sent/To/Subject)."""
    kinds = kept.kinds
    wrapped = re.search(r"h+[hte]+h+e", kinds)
    if wrapped:  # a long To: or Subject: wrapped inside the header block
        kinds = kinds[: wrapped.start()] + "h" * len(wrapped[0]) + kinds[wrapped.end() :]
        kept.kinds = kinds
    block = re.search(r"t[eq]*(h{3,})", kinds)
    if block:
        kept.keep_until(block.start(1))
