"""Reading the words around a candidate: what the customer says the value is.

Terms are found with one Aho-Corasick pass over the window (a regex alternation
of fifty terms costs tens of microseconds per window; this costs one or two).
English terms must stand as whole words; Chinese terms need no boundary.
"""

from __future__ import annotations

from ahocorasick_rs import AhoCorasick, MatchKind


class Labels:
    """Terms that say what a nearby value is, each with a label such as "key" or "keep"."""

    def __init__(self, terms: dict[str, tuple[str, ...]]) -> None:
        self._terms = [term for group in terms.values() for term in group]
        self._labels = [label for label, group in terms.items() for _ in group]
        self._automaton = AhoCorasick(self._terms, matchkind=MatchKind.LeftmostLongest)

    def last(self, window: str) -> str | None:
        """The label of the term nearest the end of `window`."""
        matches = self._automaton.find_matches_as_indexes(window)
        for index, start, end in reversed(matches):
            if self._stands_alone(window, index, start, end):
                return self._labels[index]
        return None

    def first(self, window: str) -> str | None:
        """The label of the term nearest the start of `window`."""
        for index, start, end in self._automaton.find_matches_as_indexes(window):
            if self._stands_alone(window, index, start, end):
                return self._labels[index]
        return None

    def _stands_alone(self, window: str, index: int, start: int, end: int) -> bool:
        if not self._terms[index].isascii():
            return True
        return not (_is_letter(window, start - 1) or _is_letter(window, end))


def _is_letter(window: str, pos: int) -> bool:
    return 0 <= pos < len(window) and window[pos].isascii() and window[pos].isalpha()


def before(low: str, start: int, width: int) -> str:
    """The `width` characters before `start`, cut at a blank line."""
    window = low[max(0, start - width) : start]
    cut = window.rfind("\n\n")
    return window[cut + 2 :] if cut >= 0 else window


def after(low: str, end: int, width: int) -> str:
    window = low[end : end + width]
    cut = window.find("\n\n")
    return window[:cut] if cut >= 0 else window
