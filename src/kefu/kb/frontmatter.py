"""The article file format: `key: value` front matter, then Markdown (see content/README.md).

`parse_article_file(format_article_file(a)) == a` and, for files that follow the README,
`format_article_file(parse_article_file(text)) == text`: import and export round-trip.
"""

from __future__ import annotations

from dataclasses import dataclass

from kefu.errors import UserError

KEYS = ("slug", "category", "title", "summary", "tags", "related", "status")
STATUSES = ("published", "draft")
FENCE = "---"


@dataclass(frozen=True)
class ArticleFile:
    """One language version of an article, as written in `<slug>.<language>.md`."""

    slug: str
    category: str
    title: str
    summary: str
    tags: tuple[str, ...]
    related: tuple[str, ...]
    status: str
    body_markdown: str


def parse_article_file(text: str, source: str = "article") -> ArticleFile:
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0] != FENCE or FENCE not in lines[1:]:
        raise _invalid(source, "front matter must open and close with ---")
    end = lines.index(FENCE, 1)
    fields = _fields(lines[1:end], source)
    body = "\n".join(lines[end + 1 :]).strip("\n")
    status = fields["status"]
    if status not in STATUSES:
        raise _invalid(source, f"status must be one of {', '.join(STATUSES)}")
    return ArticleFile(
        slug=fields["slug"],
        category=fields["category"],
        title=fields["title"],
        summary=fields["summary"],
        tags=_list(fields["tags"], source),
        related=_list(fields["related"], source),
        status=status,
        body_markdown=body,
    )


def format_article_file(article: ArticleFile) -> str:
    head = [
        FENCE,
        f"slug: {article.slug}",
        f"category: {article.category}",
        f"title: {article.title}",
        f"summary: {article.summary}",
        f"tags: [{', '.join(article.tags)}]",
        f"related: [{', '.join(article.related)}]",
        f"status: {article.status}",
        FENCE,
    ]
    return "\n".join(head) + "\n\n" + article.body_markdown.strip("\n") + "\n"


def _fields(lines: list[str], source: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition(":")
        if not sep or key not in KEYS:
            raise _invalid(source, f"unknown front-matter line: {line[:60]}")
        fields[key] = value.strip()
    missing = [k for k in KEYS if k not in fields]
    if missing:
        raise _invalid(source, f"missing front matter: {', '.join(missing)}")
    return fields


def _list(value: str, source: str) -> tuple[str, ...]:
    if not (value.startswith("[") and value.endswith("]")):
        raise _invalid(source, f"expected a [a, b] list, got {value[:60]}")
    inner = value[1:-1].strip()
    return tuple(item.strip() for item in inner.split(",")) if inner else ()


def _invalid(source: str, detail: str) -> UserError:
    return UserError("error.validation", code="validation_error", field=source, detail=detail)
