"""Views of one text that every detector shares, each computed at most once.

Detectors work on these views instead of the text itself because C-level
`str`/`bytes` operations (`lower`, `encode`, `translate`, `find`, `in`) are
one or two orders of magnitude faster than a regex scan, so they decide cheaply
whether the expensive regex needs to run at all.
"""

from __future__ import annotations

import string

from kefu.shield.keywords import Match, Needles, find_matches


def byte_table(mapping: dict[str, str], default: str) -> bytes:
    """A `bytes.translate` table: each character of a key becomes its value, the rest `default`."""
    table = bytearray(default.encode() * 256)
    for chars, to in mapping.items():
        for ch in chars:
            table[ord(ch)] = ord(to)
    return bytes(table)


# Alphanumeric characters become "a", everything else a space: a run of 26 "a"
# is the only place a key, a WIF, an extended key or a long hex can be.
_TOKEN_SHAPE = byte_table({string.ascii_letters + string.digits: "a"}, " ")
# Digits become "1", the separators a card number may use become "-".
_DIGIT_SHAPE = byte_table({string.digits: "1", " -": "-"}, " ")


_WIDE_SEPARATORS = (("，", ","), ("、", ","), ("；", ";"), ("：", ":"), ("\u3000", " "))


def _lower_keeping_positions(text: str) -> str:
    """`text.lower()` for texts where a few characters grow when lowered: those stay as they are."""
    return "".join(lc if len(lc := ch.lower()) == 1 else ch for ch in text)


class Scan:
    """One text and its views; all views keep character positions.

    `lower`, `ascii` and the keyword matches are computed up front because
    every text needs them; the other views are computed on first use. A chat
    line costs a few microseconds in all, so every Python call saved counts.
    """

    __slots__ = (
        "_digit_shape",
        "_han_view",
        "_token_shape",
        "ascii",
        "is_ascii",
        "keyword_matches",
        "lower",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        self.is_ascii = text.isascii()
        low = text.lower()
        self.lower = low if len(low) == len(text) else _lower_keeping_positions(text)
        # "replace" turns each non-ASCII character into one "?", so byte
        # offsets stay equal to character offsets.
        self.ascii = text.encode("ascii", "replace")
        self.keyword_matches: list[Match] = find_matches(self.lower)
        self._token_shape: bytes | None = None
        self._digit_shape: bytes | None = None
        self._han_view: bytes | None = None

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
            # Without a wide separator the view is the ASCII one, already encoded.
            self._han_view = self.ascii if text is self.text else text.encode("ascii", "replace")
        return self._han_view

    def positions(self, needles: Needles) -> list[int]:
        """Start positions, in order, of `needles` in the lowered text."""
        wanted = needles.indexes
        return [start for index, start, _ in self.keyword_matches if index in wanted]


def letter_before(text: str, pos: int) -> bool:
    """True when an ASCII letter precedes `pos` (the match is inside a word)."""
    return pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalpha()
