"""Leads edit articles in the agent UI: preview, save, revision history, search updated."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.kb.search import search_articles
from kefu.services import Services
from kefu.store.models import Article, ArticleRevision
from tests.kb.conftest import csrf_of, sign_in_agent


def _form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf": csrf,
        "is_new": "0",
        "slug": "funding-rate",
        "category": "futures",
        "status": "published",
        "related": "futures-liquidation",
        "title_zh": "资金费率说明",
        "summary_zh": "摘要",
        "tags_zh": "资金费率, 合约",
        "body_zh": "## 标题\n\n正文 <script>alert(1)</script>",
        "title_en": "Funding explained: the zebracorn fee",
        "summary_en": "Summary",
        "tags_en": "funding rate",
        "body_en": "## Heading\n\nBody **bold**",
        "note": "clearer title",
        "action": "save",
    }
    form.update(changes)
    return form


def test_only_leads_and_admins_may_edit(help_client: TestClient, help_center: Services) -> None:
    assert help_client.get("/agent/help", follow_redirects=False).status_code == 303
    sign_in_agent(help_center, help_client, "agent", "alice@kefu.test")
    assert help_client.get("/agent/help").status_code == 403
    saved = help_client.post("/agent/help/save", data=_form(csrf_of(help_client)))
    assert saved.status_code == 403


def test_a_lead_previews_without_saving(help_client: TestClient, help_center: Services) -> None:
    sign_in_agent(help_center, help_client, "lead", "bob@kefu.test")
    page = help_client.post("/agent/help/save", data=_form(csrf_of(help_client), action="preview"))
    assert page.status_code == 200
    assert "<strong>bold</strong>" in page.text
    assert "<script>alert(1)</script>" not in page.text.split("<textarea")[0]
    with help_center.db.read() as session:
        article = session.scalars(select(Article).where(Article.slug == "funding-rate")).one()
        count = len(
            list(
                session.scalars(
                    select(ArticleRevision).where(ArticleRevision.article_id == article.id)
                )
            )
        )
    assert count == 1  # only the import


def test_a_lead_saves_keeps_history_and_search_follows(
    help_client: TestClient, help_center: Services
) -> None:
    sign_in_agent(help_center, help_client, "lead", "bob@kefu.test")
    listing = help_client.get("/agent/help")
    assert listing.status_code == 200 and "/agent/help/edit/funding-rate" in listing.text
    saved = help_client.post(
        "/agent/help/save", data=_form(csrf_of(help_client)), follow_redirects=False
    )
    assert saved.headers["location"] == "/agent/help/edit/funding-rate?saved=1"
    editor = help_client.get("/agent/help/edit/funding-rate?lang=en")
    assert "clearer title" in editor.text and "bob" in editor.text
    [hit] = search_articles(help_center, "zebracorn", "en", 3)
    assert hit.slug == "funding-rate"
    with help_center.db.read() as session:
        last = session.scalars(select(ArticleRevision).order_by(ArticleRevision.id.desc())).first()
    assert last is not None and last.actor_kind == "agent" and last.note == "clearer title"
    assert last.snapshot["translations"][1]["title"] == "Funding explained: the zebracorn fee"


def test_a_lead_creates_a_draft_that_the_public_cannot_see(
    help_client: TestClient, help_center: Services
) -> None:
    sign_in_agent(help_center, help_client, "lead", "bob@kefu.test")
    assert help_client.get("/agent/help/new").status_code == 200
    form = _form(csrf_of(help_client), is_new="1", slug="new-draft", status="draft")
    help_client.post("/agent/help/save", data=form)
    assert help_client.get("/agent/help/edit/new-draft").status_code == 200
    assert help_client.get("/help/a/new-draft").status_code == 404
    duplicate = help_client.post("/agent/help/save", data=form)
    assert duplicate.status_code == 400
