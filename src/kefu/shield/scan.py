"""Views of one text that every detector shares, each computed at most once.

Detectors work on these views instead of the text itself because C-level
`str`/`bytes` operations (`lower`, `encode`, `translate`, `find`, `in`) are
one or two orders of magnitude faster than a regex scan, so they decide cheaply
whether the expensive regex needs to run at all.
"""

from __future__ import annotations

import string
from functools import cached_property


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


def lowered(text: str) -> str:
    """`text.lower()` with every position unchanged (a few characters grow when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := ch.lower()) == 1 else ch for ch in text)


class Scan:
    """One text and its lazily computed views; all views keep character positions."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lower(self) -> str:
        return lowered(self.text)

    @cached_property
    def is_ascii(self) -> bool:
        return self.text.isascii()

    @cached_property
    def ascii(self) -> bytes:
        # "replace" turns each non-ASCII character into one "?", so byte offsets
        # stay equal to character offsets.
        return self.text.encode("ascii", "replace")

    @cached_property
    def token_shape(self) -> bytes:
        return self.ascii.translate(_TOKEN_SHAPE)

    @cached_property
    def digit_shape(self) -> bytes:
        return self.ascii.translate(_DIGIT_SHAPE)

    def mentions(self, needles: tuple[str, ...]) -> bool:
        """True when the lowered text contains any of `needles`."""
        low = self.lower
        return any(needle in low for needle in needles)
