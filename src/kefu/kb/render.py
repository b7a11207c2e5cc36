"""Article Markdown to sanitised HTML (pages) and to plain text (search, snippets)."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kefu.shield.html import sanitize_html

# Raw HTML in Markdown is off: an article can only produce what Markdown itself produces,
# and the result still goes through the sanitiser.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
BLOCK_ENDS = frozenset({"paragraph_close", "heading_close", "fence", "code_block"})


@lru_cache(maxsize=512)
def render_markdown(markdown: str) -> str:
    return sanitize_html(_MARKDOWN.render(markdown))


def markdown_to_text(markdown: str) -> str:
    """The words a reader sees, one block per line (no markup, no URLs)."""
    parts: list[str] = []
    for token in _MARKDOWN.parse(markdown):
        if token.type == "inline" and token.children:
            parts.append("".join(_inline_text(c) for c in token.children))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content.strip())
        if token.type in BLOCK_ENDS:
            parts.append("\n")
    return "".join(parts).strip()


def _inline_text(token: Token) -> str:
    return " " if token.type in ("softbreak", "hardbreak") else token.content
