"""The public help center in both languages, its JSON API, and votes."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from kefu.services import Services
from kefu.store.models import ArticleVote
from tests.kb.conftest import csrf_of


def test_help_home_lists_categories_in_both_languages(help_client: TestClient) -> None:
    zh = help_client.get("/help?lang=zh-Hans")
    en = help_client.get("/help?lang=en")
    assert zh.status_code == en.status_code == 200
    assert '<html lang="zh-Hans">' in zh.text and "充值与提现" in zh.text
    assert '<html lang="en">' in en.text and "Deposits &amp; withdrawals" in en.text
    assert "充值未到账怎么办？" in zh.text and "My deposit hasn&#39;t arrived" in en.text


def test_every_page_has_a_search_form_that_works_without_javascript(
    help_client: TestClient,
) -> None:
    for path in ("/help", "/help/c/security", "/help/a/set-up-2fa", "/help/search?q=2fa"):
        page = help_client.get(path).text
        form = re.search(
            r'<form method="get" action="/help/search" role="search".*?</form>', page, re.S
        )
        assert form, path
        assert re.search(r'<label for="kb-q"[^>]*>', form.group())
        assert 'id="kb-q" name="q"' in form.group()
        assert 'role="combobox"' in form.group()


def test_the_language_cookie_switches_the_help_center(help_client: TestClient) -> None:
    switched = help_client.get("/lang/en?next=/help/a/funding-rate", follow_redirects=True)
    assert switched.url.path == "/help/a/funding-rate"
    assert "What is the funding rate" in switched.text


def test_category_page_lists_its_articles(help_client: TestClient) -> None:
    page = help_client.get("/help/c/futures?lang=en")
    assert page.status_code == 200
    assert page.text.count('href="/help/a/') >= 4
    assert help_client.get("/help/c/nonsense").status_code == 404


def test_article_renders_markdown_safely_in_both_languages(help_client: TestClient) -> None:
    zh = help_client.get("/help/a/deposit-not-credited?lang=zh-Hans")
    en = help_client.get("/help/a/deposit-not-credited?lang=en")
    assert "<h2>" in zh.text and "<strong>转出方</strong>" in zh.text
    assert "<h2>Most" in en.text and "<strong>sending</strong>" in en.text
    assert 'href="/help/a/wrong-network-deposit"' in en.text  # related articles
    assert help_client.get("/help/a/no-such-article").status_code == 404


def test_each_article_ends_with_the_way_onward_for_its_category(
    help_client: TestClient,
) -> None:
    deposit = help_client.get("/help/a/deposit-not-credited?lang=en").text
    assert 'href="/portal/tickets/new?category=deposit_withdrawal"' in deposit
    assert "mailto:support@demo-exchange.example" in deposit
    security = help_client.get("/help/a/account-compromised?lang=en").text
    assert 'href="/help/a/self-service-freeze"' in security
    assert "mailto:security@demo-exchange.example" in security
    assert 'href="/portal/tickets/new?category=security"' in security
    listing = help_client.get("/help/a/listing-application?lang=zh-Hans").text
    assert "https://www.demo-exchange.example/listing" in listing


def test_search_page_highlights_matches(help_client: TestClient) -> None:
    page = help_client.get("/help/search", params={"q": "提币 审核", "lang": "zh-Hans"})
    assert page.status_code == 200
    assert '<a href="/help/a/withdrawal-under-review">' in page.text
    assert "<mark>" in page.text
    nothing = help_client.get("/help/search", params={"q": "<script>qqqzz</script>"})
    assert "<script>qqqzz" not in nothing.text
    assert "/portal/tickets/new" in nothing.text  # no answer: the way onward instead


def test_search_api_returns_results_best_first(help_client: TestClient) -> None:
    body = help_client.get("/api/v1/help/search", params={"q": "USDT 充值 没到账"}).json()
    first = body["results"][0]
    assert first["slug"] == "deposit-not-credited"
    assert first["category"] == "deposit_withdrawal"
    assert first["url"] == "/help/a/deposit-not-credited"
    assert set(first) >= {"id", "title", "category", "snippet", "url", "score"}
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    alias = help_client.get("/api/v1/kb/search", params={"q": "USDT 充值 没到账"}).json()
    assert alias["results"][0]["slug"] == "deposit-not-credited"


def test_search_api_answers_in_the_asked_language(help_client: TestClient) -> None:
    en = help_client.get("/api/v1/help/search", params={"q": "提币白名单", "lang": "en"}).json()
    assert en["results"][0]["title"] == "How does the withdrawal address whitelist work?"


def test_suggest_api_offers_titles_while_typing(help_client: TestClient) -> None:
    body = help_client.get("/api/v1/help/suggest", params={"q": "资金", "lang": "zh-Hans"}).json()
    assert body["suggestions"][0]["slug"] == "funding-rate"
    assert body["suggestions"][0]["url"] == "/help/a/funding-rate"


def test_article_api(help_client: TestClient) -> None:
    body = help_client.get("/api/v1/help/articles/set-up-2fa?lang=en").json()
    assert body["language"] == "en" and body["languages"] == ["en", "zh-Hans"]
    assert body["body_html"].startswith("<h2>")
    assert "2FA" in body["tags"] or "2fa" in [t.lower() for t in body["tags"]]
    assert help_client.get("/api/v1/help/articles/nope").status_code == 404


def _votes(services: Services) -> list[tuple[bool, str]]:
    with services.db.read() as session:
        return [(v.helpful, v.language) for v in session.scalars(select(ArticleVote))]


def test_votes_need_csrf(help_client: TestClient, help_center: Services) -> None:
    refused = help_client.post("/help/a/funding-rate/vote", data={"helpful": "yes", "csrf": "x"})
    assert refused.status_code == 403
    assert _votes(help_center) == []


def test_one_vote_per_browser_per_article(help_client: TestClient, help_center: Services) -> None:
    help_client.get("/help/a/funding-rate?lang=en")
    csrf = csrf_of(help_client)
    first = help_client.post(
        "/help/a/funding-rate/vote?lang=en",
        data={"helpful": "no", "csrf": csrf},
        follow_redirects=False,
    )
    assert first.status_code == 303
    assert first.headers["location"] == "/help/a/funding-rate?voted=1#vote"
    again = help_client.post(
        "/help/a/funding-rate/vote?lang=en",
        data={"helpful": "yes", "csrf": csrf},
        headers={"Accept": "application/json"},
    )
    assert again.json() == {"ok": True, "helpful": True}
    assert _votes(help_center) == [(True, "en")]  # the changed mind replaced the first vote
    thanks = help_client.get("/help/a/funding-rate?voted=1&lang=en").text
    assert "Thanks for your feedback!" in thanks


def test_another_browser_votes_separately(help_client: TestClient, help_center: Services) -> None:
    for _ in range(2):
        help_client.cookies.clear()
        help_client.get("/help/a/set-up-2fa")
        help_client.post(
            "/help/a/set-up-2fa/vote", data={"helpful": "yes", "csrf": csrf_of(help_client)}
        )
    with help_center.db.read() as session:
        assert session.scalar(select(func.count(ArticleVote.id))) == 2
