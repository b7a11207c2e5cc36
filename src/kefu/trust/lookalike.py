"""How a name can imitate another: confusable characters, swaps, additions and typos.

`skeleton()` folds a name to what a hurried reader sees: Cyrillic and Greek letters that
look Latin become Latin, 0/1/3/4/5 become o/l/e/a/s, i/l/1 become one letter, "rn"
becomes "m", and separators vanish. Two names with the same skeleton look alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters from other scripts that render like Latin ones (subset of Unicode confusables.txt
# covering what impersonators use in domains and display names).
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "к": "k", "м": "m", "н": "h", "т": "t", "ь": "b", "ո": "n", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "c", "σ": "o",
    # Latin look-alikes without a decomposition
    "ı": "i", "ł": "l", "ɑ": "a", "ø": "o", "đ": "d", "ħ": "h", "ŀ": "l", "ƅ": "b",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ց": "g", "զ": "q",
}  # fmt: skip
# Digits and symbols typed for letters: g4te, dem0, supp0rt, 5upport.
SWAPS: dict[str, str] = {
    "0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "$": "s", "|": "l", "!": "l", "i": "l",
}  # fmt: skip
DIGRAPHS = (("rn", "m"), ("vv", "w"))
SEPARATORS = re.compile(r"[\s._\-]+")


def skeleton(text: str) -> str:
    """What `text` looks like, folded so that look-alikes compare equal."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = "".join(CONFUSABLES.get(ch, ch) for ch in folded)
    folded = "".join(
        ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch)
    )
    folded = "".join(SWAPS.get(ch, ch) for ch in folded)
    folded = re.sub(r"[^a-z0-9]", "", folded)
    for pair, single in DIGRAPHS:
        folded = folded.replace(pair, single)
    return folded


def confusable_characters(text: str) -> list[str]:
    """Non-ASCII letters in `text` that pass for Latin ones (Cyrillic а, Greek ο, é …)."""
    found = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        if ch.isascii():
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if ch in CONFUSABLES or (base.isascii() and base.isalpha()):
            found.append(ch)
    return found


def has_swaps(candidate: str, official: str) -> bool:
    """Digits or symbols standing in for letters (dem0 for demo), not present in the original."""
    return any(ch in SWAPS and ch not in official.lower() for ch in candidate.lower())


def plain(text: str) -> str:
    """Lower case without separators: what a name is, ignoring - _ and dots."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


def distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def typo_allowance(length: int) -> int:
    """Edits still read as the same name: none for short names, more for long ones."""
    if length < 6:
        return 0
    return 1 if length < 16 else 2


def contains_near(haystack: str, needle: str, allowed: int) -> bool:
    """`needle` appears in `haystack` with at most `allowed` edits."""
    if needle in haystack:
        return True
    if allowed == 0:
        return False
    for size in range(len(needle) - allowed, len(needle) + allowed + 1):
        for start in range(0, max(len(haystack) - size + 1, 0)):
            if distance(haystack[start : start + size], needle, allowed) <= allowed:
                return True
    return False


@dataclass(frozen=True)
class Resemblance:
    """Why a candidate name looks like an official one (reason codes, strongest first)."""

    codes: tuple[str, ...]
    exact_copy: bool = False  # same letters exactly; only the surroundings differ (e.g. TLD)


def resemblance(candidate: str, official: str, brands: frozenset[str]) -> Resemblance | None:
    """How `candidate` imitates `official` (or the brand), or None when it does not."""
    cand, real = skeleton(candidate), skeleton(official)
    if not cand or not real:
        return None
    extras = ("homoglyph",) if confusable_characters(candidate) else ()
    if cand == real:
        return _same_look(candidate, official, extras)
    if real in cand or _brand_inside(cand, brands):
        return Resemblance((*extras, "extra_characters"))
    if distance(cand, real) <= typo_allowance(len(real)):
        return Resemblance((*extras, "typo"))
    if any(len(b) >= 8 and contains_near(cand, b, 1) for b in brands):
        return Resemblance((*extras, "typo"))
    return None


def _same_look(candidate: str, official: str, extras: tuple[str, ...]) -> Resemblance:
    if plain(candidate) == plain(official):
        if candidate.lower() == official.lower():
            return Resemblance(extras, exact_copy=True)
        return Resemblance((*extras, "separators"))
    codes = list(extras)
    if has_swaps(candidate, official) or not extras:
        codes.append("character_swap")
    return Resemblance(tuple(codes))


def _brand_inside(cand: str, brands: frozenset[str]) -> bool:
    # Short brands ("gate") occur inside ordinary words ("delegate"); only long ones count.
    return any(len(brand) >= 6 and brand in cand for brand in brands)
