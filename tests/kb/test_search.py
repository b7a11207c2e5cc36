"""Search behaviour: Chinese without spaces, Traditional, stemming, synonyms, typos, snippets."""

from __future__ import annotations

import pytest

from kefu.kb.search import index_for, search_articles
from kefu.kb.search.memory import MemoryIndex
from kefu.services import Services


def top(index: MemoryIndex, query: str, language: str = "zh-Hans", n: int = 3) -> list[str]:
    return [hit.slug for hit in index.search(query, language, n)]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("充值没到账", "deposit-not-credited"),
        ("提币一直审核中", "withdrawal-under-review"),
        ("手机丢了谷歌验证器", "reset-2fa-lost-phone"),
        ("防钓鱼码怎么设置", "anti-phishing-code"),
        ("资金费率", "funding-rate"),
        ("大额提现报备", "large-withdrawal-pre-report"),
    ],
)
def test_chinese_queries_without_spaces_find_the_article(
    index: MemoryIndex, query: str, slug: str
) -> None:
    assert top(index, query)[0] == slug


@pytest.mark.parametrize(
    ("traditional", "slug"),
    [
        ("充值沒到賬", "deposit-not-credited"),
        ("帳戶被凍結", "account-frozen"),
        ("手機丟了谷歌驗證器", "reset-2fa-lost-phone"),
        ("防釣魚碼", "anti-phishing-code"),
    ],
)
def test_traditional_queries_match_simplified_articles(
    index: MemoryIndex, traditional: str, slug: str
) -> None:
    assert top(index, traditional)[0] == slug


def test_english_is_stemmed(index: MemoryIndex) -> None:
    plural = index.query_terms("withdrawals")
    assert plural == index.query_terms("withdraw") == index.query_terms("withdrawing")
    assert top(index, "withdrawals stuck under review", "en")[0] == "withdrawal-under-review"


def test_synonyms_work_both_ways(index: MemoryIndex) -> None:
    # 提现 and 提币 are one concept, whichever the article or the query uses.
    assert index.query_terms("提现").keys() & index.query_terms("提币").keys()
    assert top(index, "提现地址白名单")[0] == "withdrawal-whitelist"  # article says 提币
    assert top(index, "提币额度")[0] == "withdrawal-limits"  # article says 提现
    assert "2fa" in index.query_terms("谷歌验证") and "2fa" in index.query_terms("二次验证")
    assert top(index, "reset 谷歌验证", "en")[0] == "reset-2fa-lost-phone"


def test_chinese_query_finds_english_words_and_the_other_way(index: MemoryIndex) -> None:
    assert top(index, "withdrawal whitelist", "zh-Hans")[0] == "withdrawal-whitelist"
    assert top(index, "提币白名单", "en")[0] == "withdrawal-whitelist"


def test_mixed_chinese_and_english(index: MemoryIndex) -> None:
    assert top(index, "USDT 充值 没到账")[0] == "deposit-not-credited"
    assert top(index, "INVALID_SIGNATURE 怎么解决")[0] == "api-signature-error"


@pytest.mark.parametrize(
    ("typo", "slug"),
    [
        ("withdrawl under reveiw", "withdrawal-under-review"),
        ("liquidaton", "futures-liquidation"),
        ("forgott pasword", "forgot-password"),
    ],
)
def test_one_typo_per_long_word_is_forgiven(index: MemoryIndex, typo: str, slug: str) -> None:
    assert top(index, typo, "en")[0] == slug


def test_short_words_are_not_corrected(index: MemoryIndex) -> None:
    assert "memo" not in index.query_terms("mema")  # 4 letters: too short to guess


def test_results_come_in_the_asked_language(index: MemoryIndex) -> None:
    [zh] = index.search("withdrawal whitelist", "zh-Hans", 1)
    [en] = index.search("提币白名单", "en", 1)
    assert zh.language == "zh-Hans" and zh.title == "如何使用提币地址白名单？"
    assert en.language == "en" and en.title == "How does the withdrawal address whitelist work?"


def test_snippets_mark_matches_and_escape_everything_else(index: MemoryIndex) -> None:
    [hit] = index.search("HMAC signature", "en", 1)
    assert "<mark>" in hit.snippet
    without_marks = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_nonsense_and_empty_queries_find_nothing(index: MemoryIndex) -> None:
    assert index.search("", "zh-Hans", 5) == []
    assert index.search("the of and", "en", 5) == []
    assert index.search("qqqxxzzy", "en", 5) == []


def test_suggestions_start_from_title_and_tag_prefixes(index: MemoryIndex) -> None:
    zh = [s.slug for s in index.suggest("防钓", "zh-Hans")]
    en = [s.slug for s in index.suggest("anti-ph", "en")]
    assert zh[0] == en[0] == "anti-phishing-code"
    assert index.suggest("funding", "en")[0].slug == "funding-rate"


def test_search_reads_the_database_and_sees_edits(help_center: Services) -> None:
    from kefu.audit import Actor
    from kefu.kb.articles import ArticleData, TranslationData, save_article
    from kefu.kb.search import invalidate_index

    assert search_articles(help_center, "充值没到账", "zh-Hans", 1)[0].slug == (
        "deposit-not-credited"
    )
    article = ArticleData(
        "cold-wallet-audit",
        "security",
        "published",
        translations=(TranslationData("en", "Quarterly cold wallet audit", "Zebracorn proof."),),
    )
    with help_center.db.write() as session:
        save_article(session, article, Actor.system())
    invalidate_index(help_center)
    [hit] = search_articles(help_center, "zebracorn", "zh-Hans", 5)
    assert (hit.slug, hit.language) == ("cold-wallet-audit", "en")  # only English exists


def test_drafts_are_not_searchable(help_center: Services) -> None:
    from kefu.audit import Actor
    from kefu.kb.articles import ArticleData, TranslationData, save_article
    from kefu.kb.search import invalidate_index

    draft = ArticleData(
        "secret-draft", "trading", "draft", (), (TranslationData("en", "Zebracorn draft"),)
    )
    with help_center.db.write() as session:
        save_article(session, draft, Actor.system())
    invalidate_index(help_center)
    assert index_for(help_center).search("zebracorn", "en", 5) == []


def test_the_index_can_be_warmed_in_the_background(help_center: Services) -> None:
    from kefu.kb.search import warm_index

    warm_index(help_center).join(timeout=60)
    assert search_articles(help_center, "防钓鱼码", "zh-Hans", 1)[0].slug == "anti-phishing-code"
