"""Views of one text that every detector shares, each computed at most once.

Detectors work on these views instead of the text itself because C-level
`str`/`bytes` operations (`lower`, `encode`, `translate`, `find`, `in`) are
one or two orders of magnitude faster than a regex scan, so they decide cheaply
whether the expensive regex needs to run at all.
"""

from __future__ import annotations

import string

from kefu.shield.keywords import Needles, find_needles


def _table(mapping: dict[str, str], default: str) -> bytes:
    table = bytearray(default.encode() * 256)
    for chars, to in mapping.items():
        for ch in chars:
            table[ord(ch)] = ord(to)
    return bytes(table)


# Alphanumeric characters become "a", everything else a space: a run of 26 "a"
# is the only place a key, a WIF, an extended key or a long hex can be.
_TOKEN_SHAPE = _table({string.ascii_letters + string.digits: "a"}, " ")
# Digits become "1", the separators a card number may use become "-".
_DIGIT_SHAPE = _table({string.digits: "1", " -": "-"}, " ")


_WIDE_SEPARATORS = (("，", ","), ("、", ","), ("；", ";"), ("：", ":"), ("\u3000", " "))


def lowered(text: str) -> str:
    """`text.lower()` with every position unchanged (a few characters grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := ch.lower()) == 1 else ch for ch in text)


class Scan:
    """One text and its lazily computed views; all views keep character positions."""

    __slots__ = (
        "_ascii",
        "_digit_shape",
        "_han_view",
        "_lower",
        "_needle_words",
        "_needles",
        "_token_shape",
        "is_ascii",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.is_ascii = text.isascii()
        self._lower: str | None = None
        self._ascii: bytes | None = None
        self._token_shape: bytes | None = None
        self._digit_shape: bytes | None = None
        self._needles: list[tuple[str, int]] | None = None
        self._needle_words: frozenset[str] = frozenset()
        self._han_view: bytes | None = None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = lowered(self.text)
        return self._lower

    @property
    def ascii(self) -> bytes:
        if self._ascii is None:
            # "replace" turns each non-ASCII character into one "?", so byte
            # offsets stay equal to character offsets.
            self._ascii = self.text.encode("ascii", "replace")
        return self._ascii

    @property
    def token_shape(self) -> bytes:
        if self._token_shape is None:
            self._token_shape = self.ascii.translate(_TOKEN_SHAPE)
        return self._token_shape

    @property
    def digit_shape(self) -> bytes:
        if self._digit_shape is None:
            self._digit_shape = self.ascii.translate(_DIGIT_SHAPE)
        return self._digit_shape

    @property
    def han_view(self) -> bytes:
        """ASCII view where full-width separators are ASCII and every other non-ASCII char is "?".

        Regexes over a `str` holding Chinese run at ~20 ns per character; over
        these bytes at ~3, so Chinese phrases are looked for here first.
        """
        if self._han_view is None:
            text = self.text
            for wide, narrow in _WIDE_SEPARATORS:
                if wide in text:
                    text = text.replace(wide, narrow)
            self._han_view = text.encode("ascii", "replace")
        return self._han_view

    def has_keywords(self) -> bool:
        """True when any detector's keyword occurs in the text."""
        if self._needles is None:
            self._needles = find_needles(self.lower)
            self._needle_words = frozenset(needle for needle, _ in self._needles)
        return bool(self._needles)

    def positions(self, needles: Needles) -> list[int]:
        """Start positions, in order, of `needles` in the lowered text."""
        if not self.has_keywords() or needles.words.isdisjoint(self._needle_words):
            return []
        return [pos for needle, pos in self._needles or () if needle in needles.words]


def letter_before(text: str, pos: int) -> bool:
    """True when an ASCII letter precedes `pos` (the match is inside a word)."""
    return pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalpha()
