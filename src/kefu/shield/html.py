"""HTML sanitising (first form; issue #3 completes it)."""

from __future__ import annotations

import nh3


def sanitize_html(html: str) -> str:
    return nh3.clean(html)


def html_to_text(html: str) -> str:
    return nh3.clean(html, tags=set())
