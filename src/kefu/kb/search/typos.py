"""A little typo tolerance: latin words of 5+ letters within one edit of a known word.

One edit = insert, delete, substitute, or swap two neighbours ("withdarw"). Candidates come
from a deletion index (the SymSpell idea) and are then checked exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

MIN_LENGTH = 5
WORD = re.compile(r"[a-z]+")


class TypoIndex:
    def __init__(self, frequencies: Mapping[str, int]) -> None:
        """`frequencies`: the known words (folded) and how often they occur."""
        self.frequencies = {
            w: n for w, n in frequencies.items() if w.isalpha() and len(w) >= MIN_LENGTH - 1
        }
        self.words = frozenset(self.frequencies)
        self._by_deletion: dict[str, set[str]] = {}
        for word in self.words:
            for variant in _deletions(word) | {word}:
                self._by_deletion.setdefault(variant, set()).add(word)

    def corrections(self, word: str) -> list[str]:
        """Known words one edit away from `word` (none when it is known or short)."""
        if len(word) < MIN_LENGTH or word in self.words or not word.isalpha():
            return []
        candidates: set[str] = set()
        for variant in _deletions(word) | {word}:
            candidates |= self._by_deletion.get(variant, set())
        return sorted(c for c in candidates if within_one_edit(word, c))

    def correct(self, text: str) -> str:
        """`text` (folded) with each unknown word replaced by its most frequent correction."""
        return WORD.sub(self._best_correction, text)

    def _best_correction(self, match: re.Match[str]) -> str:
        word = match.group()
        candidates = self.corrections(word)
        if not candidates:
            return word
        return max(candidates, key=lambda c: (self.frequencies[c], c))


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance ≤ 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]
