"""The agent editor's form, both ways: an article to form fields and form fields back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kefu.i18n import LANGUAGES
from kefu.kb.articles import ArticleData, TranslationData

FIELD_SUFFIX = {"zh-Hans": "zh", "en": "en"}


@dataclass(frozen=True)
class EditorForm:
    """What the editor shows: text fields exactly as the lead typed them."""

    slug: str = ""
    category: str = ""
    status: str = "draft"
    related: str = ""
    note: str = ""
    versions: tuple[
        tuple[str, str, str, str, str], ...
    ] = ()  # language, title, summary, tags, body

    def version(self, language: str) -> tuple[str, str, str, str, str]:
        found = next((v for v in self.versions if v[0] == language), None)
        return found or (language, "", "", "", "")


def form_from_article(data: ArticleData) -> EditorForm:
    versions = tuple(
        (t.language, t.title, t.summary, ", ".join(t.tags), t.body_markdown)
        for t in data.translations
    )
    return EditorForm(
        slug=data.slug,
        category=data.category,
        status=data.status,
        related=", ".join(data.related),
        versions=versions,
    )


def form_from_fields(fields: Mapping[str, str]) -> EditorForm:
    versions = tuple(
        (
            language,
            fields.get(f"title_{suffix}", "").strip(),
            fields.get(f"summary_{suffix}", "").strip(),
            fields.get(f"tags_{suffix}", ""),
            _normalise_body(fields.get(f"body_{suffix}", "")),
        )
        for language, suffix in FIELD_SUFFIX.items()
    )
    return EditorForm(
        slug=fields.get("slug", "").strip(),
        category=fields.get("category", ""),
        status=fields.get("status", "draft"),
        related=fields.get("related", ""),
        note=fields.get("note", "").strip(),
        versions=versions,
    )


def article_from_form(form: EditorForm) -> ArticleData:
    """A language version with neither title nor body is left out (not yet written)."""
    translations = tuple(
        TranslationData(language, title, summary, _split(tags), body)
        for language, title, summary, tags, body in form.versions
        if language in LANGUAGES and (title or body)
    )
    return ArticleData(
        slug=form.slug,
        category=form.category,
        status=form.status,
        related=_split(form.related),
        translations=translations,
    )


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())


def _normalise_body(body: str) -> str:
    return body.replace("\r\n", "\n").strip("\n")
