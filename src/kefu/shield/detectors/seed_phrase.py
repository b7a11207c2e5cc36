"""BIP39 seed phrases in English, Simplified and Traditional Chinese.

A phrase is 12–24 list words, but customers mistype, skip or number them, so a
span counts when it holds at least nine exact list words among at most three
others (one-edit typos, missing or garbled words). The checksum is not
required: a phrase with a bad checksum is still the key to a wallet.

Candidate spans are found by one regex over a byte "shape" of the text
(letters → a); only those spans are tokenised and looked up, so ordinary prose
costs one regex pass.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from kefu.shield import keywords
from kefu.shield.detectors import wordlists
from kefu.shield.findings import Finding
from kefu.shield.scan import Scan, byte_table, letter_before

KIND = "seed_phrase"

MIN_EXACT = 9  # 12 words with two typos and one missing
MIN_LISTED = 10  # exact + one-edit typos
MAX_OTHERS = 3
MAX_UNKNOWN = 2


def _shape_table() -> bytes:
    table = bytearray(b"#" * 256)
    for chars, to in {
        string.ascii_letters: "a",
        " \t\r\n\f\v,;|#(\"'": " ",
        string.digits: "1",
        ".):": ".",
        "-": "-",
    }.items():
        for ch in chars:
            table[ord(ch)] = ord(to)
    return bytes(table)


_SHAPE = _shape_table()
# Ten or more 2–9 letter words, each optionally numbered ("1. word", "1)word").
_ENGLISH_RUN = re.compile(
    rb"(?<!a)(?<!a[ -])(?:(?:1{1,2}\.? *)?a{2,9}(?:[ -]{1,3}|\.(?= |$)|$)){10,}"
)
_LETTERS = re.compile(r"[A-Za-z]+")


def _gate_table() -> bytes:
    table = bytearray(b"*" * 256)
    for ch in string.ascii_letters:
        table[ord(ch)] = ord(ch.lower())
    for ch in " \t\r\n\f\v,;|#().:-\"'" + string.digits:
        table[ord(ch)] = ord(" ")
    return bytes(table)


_GATE = _gate_table()
# The gate view with every letter as "a": " aaa" is where a list word may start.
_WORD_SHAPE = _GATE.translate(bytes.maketrans(string.ascii_lowercase.encode(), b"a" * 26))
_WORD_START = b" aaa"
# Nine exact list words with at most three other tokens between neighbours.
_HIT_RUN = re.compile(rb"\x01(?:\x00{0,3}\x01){8,}")
# Counting list words with the automaton first pays off only where it usually
# finds fewer than nine (short or Chinese texts); long English texts go
# straight to the set lookups.
_SHORT_VIEW = 256
# Room around nine hits for the typos and missing words at the phrase's edges.
_AREA_MARGIN = 60

_HAN = r"\u3400-\u9fff"
_NUMBER = r"(?:\d{1,2}[.、)）:：]?\s*)"
# On Scan.han_view, where each Chinese character is "?" and full-width
# separators are ASCII: ten one-character tokens between separators.
# Both start at a separator, which is rare in Chinese text, so the regex
# engine skips ahead quickly; the character before the match is the first token.
_ZH_TOKEN = rb"[\s,;|/][\s,;|/]*(?:\d{1,2}[.)]?\s*)?\?(?!\?)"
_CHINESE_SEPARATED = re.compile(_ZH_TOKEN + rb"(?:" + _ZH_TOKEN + rb"){8,}")
# Twelve to twenty-four characters alone between whitespace (or after a colon).
_CHINESE_ALONE = re.compile(rb"[\s:](?P<s>\?{12,24})(?!\S)")
# Cheap necessary conditions for the two patterns above, checked with C-level
# bytes operations first because most Chinese text matches neither.
# Every token of _CHINESE_SEPARATED but the last is a "?" with a separator,
# digit, "." or ")" before it and a separator after it: ",?," in this shape.
_LONE_HAN_SHAPE = byte_table({" \t\n\r\f\v,;|/.)" + string.digits: ",", "?": "?"}, "x")
_LONE_HAN_NEEDLE = b",?,"
_CHECKED_LENGTH = 4096
_SEPARATED_MIN_FOLLOWED = 8  # nine tokens, all but the last followed by another
_ALONE_SHAPE = byte_table({" \t\n\r\f\v": " ", ":": ":", "?": "?"}, "x")
_ALONE_TOKENS = frozenset(b"?" * n for n in range(12, 25))
_TWELVE_UNKNOWN = b"?" * 12
_HAN_CHAR = re.compile(rf"[{_HAN}]")
_MIN_LENGTH = 10  # ten Chinese characters
_MIN_ENGLISH_LENGTH = 10 * 3 + 9  # ten words of three letters
_CHINESE_SEPARATOR = re.compile(r"[\s,，、;；|/]+")
# Every alternative starts with a needle of keywords.SEED_CONTEXT.
_CONTEXT = (
    r"(?:助记词|助記詞|助记码|记忆词|記憶詞|种子词|種子詞|种子短语|恢复词|恢復詞|恢复短语|恢復短語"
    r"|备份短语|備份短語|钱包短语|錢包短語|(?:seed(?: phrase| words)?|mnemonic(?: phrase)?"
    r"|recovery (?:phrase|words)|backup phrase|secret (?:recovery )?phrase|(?:12|24) words)"
    r"(?![a-z]))"
)
_CONNECTOR = r"(?:[^\S\n]*(?:是|为|為|如下|:|：|=|(?<![a-z])(?:is|are)(?![a-z]))[^\S\n]*\n?)+\s*"
_CHINESE_AFTER_CONTEXT = re.compile(
    _CONTEXT + _CONNECTOR + rf"(?P<s>[{_HAN}](?:[\s,，、;；]*[{_HAN}]){{9,29}})(?![{_HAN}])"
)
_HAN_ONLY = re.compile(rf"[{_HAN}]+")
_PHRASE_LENGTHS = (12, 15, 18, 21, 24)
_MAX_CONTEXT_LENGTH = 24


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    status: str  # "exact", "near" (one edit away) or "unknown"


def find(scan: Scan) -> list[Finding]:
    length = len(scan.text)
    if length < _MIN_LENGTH:
        return []
    areas = _english_areas(scan) if length >= _MIN_ENGLISH_LENGTH else []
    spans = list(_english_phrases(scan, areas)) if areas else []
    if not scan.is_ascii:
        spans += _chinese(scan)
    if not spans:
        return []
    return [Finding(KIND, start, end) for start, end in _merge(spans)]


def _english_phrases(scan: Scan, areas: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    shape = scan.ascii.translate(_SHAPE)
    words = wordlists.english_words()
    runs = (run for area in areas for run in _ENGLISH_RUN.finditer(shape, *area))
    for run in runs:
        start, end = run.span()
        # Most runs are prose: count exact list words at C speed before looking closer.
        if sum(map(words.__contains__, _LETTERS.findall(scan.lower, start, end))) < MIN_EXACT:
            continue
        tokens = [_english_token(m) for m in _LETTERS.finditer(scan.lower, start, end)]
        yield from _phrase_spans(tokens)


def _english_areas(scan: Scan) -> list[tuple[int, int]]:
    """Areas where nine list words stand close together, in C-level steps only.

    Short and Chinese texts first count the tokens that could be list words,
    then the list words with an Aho-Corasick pass (most stop at one of the
    two). Then each token is looked up in a set, and the hit/miss bytes tell
    whether nine hits stand with at most three other tokens between
    neighbours; only then are the hits located.
    """
    counted = not scan.is_ascii or len(scan.ascii) < _SHORT_VIEW
    if counted and _word_starts(scan.ascii) < MIN_EXACT:
        return []
    view = scan.ascii.translate(_GATE)
    matches = None
    if counted:
        matches = _english_matches(view)
        if len(matches) < MIN_EXACT:
            return []
    hits = bytes(map(wordlists.english_words_bytes().__contains__, view.split()))
    if not _has_hit_run(hits):
        return []
    if matches is None:
        matches = _english_matches(view)
    areas = []
    for run in _HIT_RUN.finditer(hits):
        # The k-th hit token is the k-th match (" word " in the padded view, so
        # the word starts at the match start and ends two before its end).
        first = hits.count(1, 0, run.start())
        last = first + run.group().count(1) - 1
        areas.append(
            (max(0, matches[first][1] - _AREA_MARGIN), matches[last][2] - 2 + _AREA_MARGIN)
        )
    return _merge(areas)


def _word_starts(ascii_view: bytes) -> int:
    """At least the number of list words in the gate view: tokens starting with three letters.

    Every list word has three letters or more, so each one starts a distinct
    " aaa" in the word shape (the gate view with letters as "a").
    """
    return (b" " + ascii_view.translate(_WORD_SHAPE)).count(_WORD_START)


def _has_hit_run(hits: bytes) -> bool:
    """Whether _HIT_RUN matches, in three C calls instead of a backtracking regex.

    Four misses in a row break a run; the shorter gaps are dropped, so a run
    becomes nine hit bytes in a row.
    """
    chains = hits.replace(b"\x00" * (MAX_OTHERS + 1), b"|").replace(b"\x00", b"")
    return chains.find(b"\x01" * MIN_EXACT) >= 0


def _english_matches(view: bytes) -> list[tuple[int, int, int]]:
    """The tokens of `view` that are list words, as matches in `b" " + view + b" "`."""
    return wordlists.english_automaton().find_matches_as_indexes(b" " + view + b" ", True)


def _english_token(match: re.Match[str]) -> _Token:
    word = match.group()
    if word in wordlists.english_words():
        status = "exact"
    elif wordlists.is_near_english_word(word):
        status = "near"
    else:
        status = "unknown"
    return _Token(match.start(), match.end(), status)


def _chinese_token(match: re.Match[str]) -> _Token:
    status = "exact" if match.group() in wordlists.chinese_chars() else "unknown"
    return _Token(match.start(), match.end(), status)


def _chinese(scan: Scan) -> list[tuple[int, int]]:
    """Each Chinese pattern runs only where its cheap necessary condition holds."""
    view = scan.han_view
    # The checks pay where they usually rule a pattern out, in messages; in long
    # documents (mailbox exports) they nearly always pass and only add work.
    checked = len(view) <= _CHECKED_LENGTH
    spans: list[tuple[int, int]] = []
    if not checked or _may_be_separated(view):
        spans += _chinese_separated(scan)
    if scan.keyword_matches:
        spans += _chinese_after_context(scan)
    if not checked or _may_stand_alone(scan):
        spans += _chinese_alone(scan)
    return spans


def _chinese_separated(scan: Scan) -> Iterator[tuple[int, int]]:
    text = scan.text
    for run in _CHINESE_SEPARATED.finditer(scan.han_view):
        start, end = run.span()
        # The first character stands before the first separator; the last may be
        # followed by a bracket, which the view cannot tell from a character.
        if _lone_han(text, start - 1):
            start -= 1
        after = _CHINESE_SEPARATOR.match(text, end)
        if after is not None and _lone_han(text, after.end()):
            end = after.end() + 1
        tokens = [_chinese_token(m) for m in _HAN_CHAR.finditer(text, start, end)]
        yield from _phrase_spans(tokens)


def _may_be_separated(view: bytes) -> bool:
    """False only where _CHINESE_SEPARATED cannot match the han view."""
    shape = view.translate(_LONE_HAN_SHAPE)
    # Neighbouring tokens share a comma, so `count` (non-overlapping) sees at
    # least every other one: fewer than half rules the pattern out without
    # the copy that doubles the commas.
    if shape.count(_LONE_HAN_NEEDLE) * 2 < _SEPARATED_MIN_FOLLOWED:
        return False
    return shape.replace(b",", b",,").count(_LONE_HAN_NEEDLE) >= _SEPARATED_MIN_FOLLOWED


def _lone_han(text: str, pos: int) -> bool:
    """A CJK character at `pos` with no CJK character on either side."""
    if not 0 <= pos < len(text) or not _HAN_CHAR.match(text, pos):
        return False
    return not (pos > 0 and _HAN_CHAR.match(text, pos - 1)) and not _HAN_CHAR.match(text, pos + 1)


def _chinese_after_context(scan: Scan) -> Iterator[tuple[int, int]]:
    """ "助记词：…": up to 24 characters after the word for a phrase and a connector."""
    for pos in scan.positions(keywords.SEED_CONTEXT):
        match = _CHINESE_AFTER_CONTEXT.match(scan.lower, pos)
        if match is None or letter_before(scan.lower, pos):
            continue
        start, end = match.span("s")
        chars = list(_HAN_CHAR.finditer(scan.text, start, end))[:_MAX_CONTEXT_LENGTH]
        if _unknown_count("".join(m.group() for m in chars)) <= MAX_UNKNOWN:
            yield start, chars[-1].end()


def _chinese_alone(scan: Scan) -> Iterator[tuple[int, int]]:
    # A leading space lets the pattern see the start of the text as a boundary.
    for alone in _CHINESE_ALONE.finditer(b" " + scan.han_view):
        start, end = alone.start("s") - 1, alone.end("s") - 1
        text = scan.text[start:end]
        if _HAN_ONLY.fullmatch(text) and _looks_like_bare_phrase(text):
            yield start, end


def _may_stand_alone(scan: Scan) -> bool:
    """Whether _CHINESE_ALONE matches: some token is 12–24 "?" after whitespace or a colon."""
    # `_chinese` has made the han view; twelve "?" in a row are rarer in it
    # than in the ASCII view, where a "，" is one too.
    view = scan.han_view
    if view.find(_TWELVE_UNKNOWN) < 0:
        return False
    shape = view.translate(_ALONE_SHAPE).replace(b":", b": ")
    return not _ALONE_TOKENS.isdisjoint(shape.split())


def _unknown_count(chars: str) -> int:
    listed = wordlists.chinese_chars()
    return sum(ch not in listed for ch in chars)


def _looks_like_bare_phrase(chars: str) -> bool:
    """Twelve-odd list characters alone on a line, without the glue words of prose."""
    if len(chars) not in _PHRASE_LENGTHS or _unknown_count(chars) > 0:
        return False
    common = wordlists.chinese_common_chars()
    return sum(ch in common for ch in chars) <= len(chars) // 6


class _Window:
    """Counts of token statuses in tokens[left:right + 1]."""

    def __init__(self) -> None:
        self.counts = {"exact": 0, "near": 0, "unknown": 0}

    def add(self, token: _Token, sign: int) -> None:
        self.counts[token.status] += sign

    def too_loose(self) -> bool:
        others = self.counts["near"] + self.counts["unknown"]
        return others > MAX_OTHERS or self.counts["unknown"] > MAX_UNKNOWN

    def is_phrase(self) -> bool:
        exact = self.counts["exact"]
        return exact >= MIN_EXACT and exact + self.counts["near"] >= MIN_LISTED


def _phrase_spans(tokens: list[_Token]) -> Iterator[tuple[int, int]]:
    """Spans of the longest windows (per right end) that read as a phrase."""
    window = _Window()
    left = 0
    for token in tokens:
        window.add(token, +1)
        while window.too_loose():
            window.add(tokens[left], -1)
            left += 1
        if token.status == "unknown":
            continue
        first = left
        while tokens[first].status == "unknown":
            first += 1
        if window.is_phrase():
            yield tokens[first].start, token.end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
