"""`kefu kb import DIR` / `kefu kb export DIR`: the folder of Markdown files, both ways.

Layout (content/README.md): `<category>/<slug>.<language>.md`, one file per language.
Exporting what was imported writes the same bytes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kefu.audit import Actor
from kefu.errors import UserError
from kefu.i18n import LANGUAGES
from kefu.kb.articles import (
    ArticleData,
    TranslationData,
    all_articles,
    article_data,
    check_related_exist,
    save_article,
)
from kefu.kb.frontmatter import ArticleFile, format_article_file, parse_article_file
from kefu.kb.search import invalidate_index
from kefu.services import Services

CONTENT = Path(__file__).parent / "content"


@dataclass(frozen=True)
class ImportResult:
    articles: int  # articles read from the folder
    changed: int  # of which were new or different


def import_articles(services: Services, path: Path) -> ImportResult:
    """Create or update every article in the folder; all or nothing."""
    articles = read_folder(path)
    actor = Actor.system()
    with services.db.write() as session:
        changed = sum(save_article(session, a, actor, note=f"import {path.name}") for a in articles)
        for article in articles:
            check_related_exist(session, article.related)
    invalidate_index(services)
    return ImportResult(articles=len(articles), changed=changed)


def export_articles(services: Services, path: Path) -> int:
    """Write every article (drafts too) into the folder; returns the number of files."""
    with services.db.read() as session:
        articles = [article_data(session, a) for a in all_articles(session, include_drafts=True)]
    written = 0
    for article in articles:
        folder = path / article.category
        folder.mkdir(parents=True, exist_ok=True)
        for translation in article.translations:
            target = folder / f"{article.slug}.{translation.language}.md"
            target.write_text(format_article_file(_to_file(article, translation)), "utf-8")
            written += 1
    return written


def seed_articles(services: Services) -> ImportResult:
    """Load the shipped articles (demo and first start); a no-op when they are there."""
    return import_articles(services, CONTENT)


def read_folder(path: Path) -> list[ArticleData]:
    if not path.is_dir():
        raise _invalid(str(path), "not a folder")
    files: dict[str, list[tuple[str, ArticleFile]]] = {}
    for file in sorted(path.glob("*/*.md")):
        slug, _, language = file.name.removesuffix(".md").partition(".")
        if language not in LANGUAGES:
            continue  # README.md and notes are not articles
        parsed = parse_article_file(file.read_text("utf-8"), source=str(file))
        if parsed.slug != slug or parsed.category != file.parent.name:
            raise _invalid(str(file), "slug and category must match the file and folder names")
        files.setdefault(slug, []).append((language, parsed))
    return [_article(slug, versions) for slug, versions in files.items()]


def _article(slug: str, versions: list[tuple[str, ArticleFile]]) -> ArticleData:
    first = versions[0][1]
    for language, version in versions[1:]:
        if (version.category, version.status, version.related) != (
            first.category,
            first.status,
            first.related,
        ):
            raise _invalid(slug, f"{language}: category, status and related must match")
    translations = tuple(
        TranslationData(language, v.title, v.summary, v.tags, v.body_markdown)
        for language, v in sorted(versions, key=lambda item: LANGUAGES.index(item[0]))
    )
    return ArticleData(slug, first.category, first.status, first.related, translations)


def _to_file(article: ArticleData, translation: TranslationData) -> ArticleFile:
    return ArticleFile(
        slug=article.slug,
        category=article.category,
        title=translation.title,
        summary=translation.summary,
        tags=translation.tags,
        related=article.related,
        status=article.status,
        body_markdown=translation.body_markdown,
    )


def _invalid(source: str, detail: str) -> UserError:
    return UserError("error.validation", code="validation_error", field=source, detail=detail)
