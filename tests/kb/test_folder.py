"""`kefu kb import` / `kefu kb export`: the folder format round-trips byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kefu.cli import main
from kefu.errors import UserError
from kefu.kb.folder import CONTENT, export_articles, import_articles, seed_articles
from kefu.services import Services


def _article_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.glob("*/*.md"))
        if p.name.count(".") == 2
    }


def test_import_then_export_gives_the_same_files(help_center: Services, tmp_path: Path) -> None:
    written = export_articles(help_center, tmp_path)
    original = _article_files(CONTENT)
    assert written == len(original) >= 80
    assert _article_files(tmp_path) == original


def test_importing_again_changes_nothing(help_center: Services) -> None:
    result = seed_articles(help_center)
    assert result.articles == 60 and result.changed == 0


def test_an_edited_file_is_imported_as_a_new_revision(
    help_center: Services, tmp_path: Path
) -> None:
    from sqlalchemy import func, select

    from kefu.store.models import ArticleRevision

    export_articles(help_center, tmp_path)
    file = tmp_path / "futures" / "funding-rate.en.md"
    file.write_text(file.read_text().replace("title: What is", "title: Explained -"))
    assert import_articles(help_center, tmp_path).changed == 1
    with help_center.db.read() as session:
        assert session.scalar(select(func.count(ArticleRevision.id))) == 61


def test_a_broken_folder_is_refused_whole(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "account"
    folder.mkdir()
    (folder / "a-ok.en.md").write_text(
        "---\nslug: a-ok\ncategory: account\ntitle: Fine\nsummary: s\ntags: []\n"
        "related: [missing-article]\nstatus: published\n---\n\nBody\n"
    )
    with pytest.raises(UserError):
        import_articles(services, tmp_path)
    (folder / "a-ok.en.md").write_text("no front matter")
    with pytest.raises(UserError):
        import_articles(services, tmp_path)
    from kefu.kb.search import search_articles

    assert search_articles(services, "Fine", "en") == []


def test_the_cli_imports_and_exports(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = services.settings
    monkeypatch.setenv("KEFU_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("KEFU_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("KEFU_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("KEFU_IDENTITY_SECRET", settings.identity_secret)
    assert main(["kb", "import", str(CONTENT)]) == 0
    assert main(["kb", "export", str(tmp_path / "out")]) == 0
    assert _article_files(tmp_path / "out") == _article_files(CONTENT)
