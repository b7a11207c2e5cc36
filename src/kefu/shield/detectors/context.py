"""Reading the words around a candidate: what the customer says the value is."""

from __future__ import annotations

import re

# Positions are compared on the lowered text, so patterns here are lower case.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def before(low: str, start: int, width: int) -> tuple[str, int]:
    """The `width` characters before `start`, cut at a blank line; and where they begin."""
    begin = max(0, start - width)
    window = low[begin:start]
    breaks = list(_PARAGRAPH_BREAK.finditer(window))
    if breaks:
        cut = breaks[-1].end()
        return window[cut:], begin + cut
    return window, begin


def after(low: str, end: int, width: int) -> str:
    window = low[end : end + width]
    found = _PARAGRAPH_BREAK.search(window)
    return window[: found.start()] if found else window


def last_label(pattern: re.Pattern[str], window: str) -> str | None:
    """The name of the group of the last match of `pattern` in `window`, if any."""
    label = None
    for match in pattern.finditer(window):
        label = match.lastgroup
    return label


def first_label(pattern: re.Pattern[str], window: str) -> str | None:
    match = pattern.search(window)
    return match.lastgroup if match else None
