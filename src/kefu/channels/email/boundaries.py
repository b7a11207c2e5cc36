"""MIME boundary lines matched without compiling a regular expression per message.

The stdlib feed parser compiles one regex for each multipart's boundary. Boundaries are
unique per message, so `re`'s cache never helps, and compiling that pattern (in Python,
in `re._parser`) costs more than parsing the rest of a typical two-part email: about a
tenth of the time kefu spends reading a mixed batch of emails. `install()` gives
`email.feedparser` a view of `re` whose `compile` answers the boundary pattern with
`BoundaryMatcher`, which matches exactly the same lines with string operations (see
tests/channels/email/test_email_boundaries.py, which compares the two on generated
lines); every other pattern, and every other user of `re`, is untouched.
"""

from __future__ import annotations

import email.feedparser
import re
from typing import Any

# The feed parser's pattern, around re.escape("--" + boundary) (Lib/email/feedparser.py).
PREFIX = "(?P<sep>"
SUFFIX = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_LINE_ENDS = ("\r\n", "\r", "\n")  # the order the pattern's alternation tries them


class BoundaryMatch:
    """What the feed parser reads of a match: its named groups."""

    __slots__ = ("_groups",)

    def __init__(self, sep: str, end: str | None, ws: str, linesep: str | None) -> None:
        self._groups = {"sep": sep, "end": end, "ws": ws, "linesep": linesep}

    def group(self, name: str) -> str | None:
        return self._groups[name]


class BoundaryMatcher:
    """`re.compile(PREFIX + re.escape(separator) + SUFFIX)`, as string operations."""

    __slots__ = ("separator",)

    def __init__(self, separator: str) -> None:
        self.separator = separator

    def match(self, line: str) -> BoundaryMatch | None:
        if not line.startswith(self.separator):
            return None
        rest = line[len(self.separator) :]
        end = "--" if rest.startswith("--") else None
        if end:
            rest = rest[2:]
        after_ws = rest.lstrip(" \t")
        ws = rest[: len(rest) - len(after_ws)]
        # `(linesep)?$`: an optional line end, then the end of the line or a final "\n".
        for linesep in (*_LINE_ENDS, None):
            tail = after_ws[len(linesep) :] if linesep else after_ws
            if (linesep is None or after_ws.startswith(linesep)) and tail in ("", "\n"):
                return BoundaryMatch(self.separator, end, ws, linesep)
        return None


class _FeedParserRe:
    """The `re` module as `email.feedparser` sees it once installed."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def compile(pattern: Any, flags: int = 0) -> Any:
        matcher = boundary_matcher(pattern) if flags == 0 else None
        return matcher or re.compile(pattern, flags)


def boundary_matcher(pattern: object) -> BoundaryMatcher | None:
    """A matcher for the feed parser's boundary pattern; None for any other pattern."""
    if not (isinstance(pattern, str) and pattern.startswith(PREFIX) and pattern.endswith(SUFFIX)):
        return None
    escaped = pattern[len(PREFIX) : -len(SUFFIX)]
    separator = _ESCAPED.sub(r"\1", escaped)
    return BoundaryMatcher(separator) if re.escape(separator) == escaped else None


def install() -> None:
    """Give the stdlib feed parser the boundary matcher (idempotent)."""
    setattr(email.feedparser, "re", _FeedParserRe())  # noqa: B010 (not in the stubs)
