"""Snippets: the stretch of an article that matches the query best, with <mark>s.

Everything outside the marks is HTML-escaped, so a snippet can be put into a page as is.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence

from kefu.kb.search.analyzer import Token

WINDOW_CJK = 80  # characters
WINDOW_LATIN = 180
LEAD = 12  # context kept before the first match


def best_snippet(text: str, matches: Sequence[Token], cjk: bool) -> str | None:
    """The best window of `text` with `matches` (sorted by position) marked, or None."""
    if not matches:
        return None
    start, end = _best_window(matches, WINDOW_CJK if cjk else WINDOW_LATIN, len(text))
    start, end = _word_boundaries(text, start, end)
    inside = [t for t in matches if t.start >= start and t.end <= end]
    body = mark(text, start, end, inside)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + body + suffix


def mark(text: str, start: int, end: int, matches: Sequence[Token]) -> str:
    """Escape text[start:end], wrapping every (merged) match span in <mark>."""
    spans = _merged((t.start, t.end) for t in matches)
    parts = []
    position = start
    for span_start, span_end in spans:
        parts.append(_clean(text[position:span_start]))
        parts.append(f"<mark>{_clean(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(_clean(text[position:end]))
    return "".join(parts)


def _best_window(matches: Sequence[Token], width: int, length: int) -> tuple[int, int]:
    """The window holding the most distinct matched terms (words count more than bigrams).

    A sliding window over the sorted matches: linear in their number.
    """
    best, best_value = (0, min(length, width)), -1.0
    inside: Counter[str] = Counter()
    ahead = 0
    for anchor in matches:
        start = max(0, anchor.start - LEAD)
        while ahead < len(matches) and matches[ahead].end <= start + width:
            inside[matches[ahead].term] += 1
            ahead += 1
        value = sum(0.3 if term.startswith("~") else 1.0 for term, n in inside.items() if n)
        if value > best_value:  # earlier windows win ties
            best, best_value = (start, min(length, start + width)), value
        inside[anchor.term] -= 1
    return best


def _word_boundaries(text: str, start: int, end: int) -> tuple[int, int]:
    """Do not cut latin words in half: move inwards to the nearest space."""
    if start > 0 and text[start - 1].isalnum() and text[start].isascii():
        space = text.find(" ", start, end)
        start = space + 1 if space != -1 else start
    if end < len(text) and text[end].isalnum() and text[end - 1].isascii():
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for span_start, span_end in sorted(spans):
        if result and span_start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], span_end))
        else:
            result.append((span_start, span_end))
    return result


def _clean(text: str) -> str:
    return html.escape(" ".join(text.split("\n")), quote=False)


def mostly_cjk(text: str) -> bool:
    sample = text[:400]
    cjk = sum(1 for c in sample if "\u3400" <= c <= "\u9fff")
    return cjk * 3 > len(sample)
