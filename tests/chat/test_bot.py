"""How the bot reads messages: answers, clarifying questions, and when it hands over."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kefu.bot import answer_or_handoff
from kefu.bot.evaluate import CASES, evaluate
from kefu.services import Services


@pytest.mark.parametrize(
    "text",
    [
        "人工客服",
        "转人工",
        "轉人工",
        "我要找真人",
        "能帮我找客服吗",
        "请给我转人工，谢谢",
        "human please",
        "I want an agent",
        "can I talk to a real person?",
        "representative",
        "let me speak to someone",
    ],
)
def test_asking_for_a_person_hands_over_at_once(chat_services: Services, text: str) -> None:
    decision = answer_or_handoff(chat_services, text)
    assert decision.handoff and decision.handoff_reason == "customer_asked"


@pytest.mark.parametrize(
    "text",
    [
        "我的账户被盗了",
        "资产丢失，不是我本人操作的提现",
        "My account was hacked",
        "there was an unauthorized withdrawal from my account",
        "P2P 交易被骗了",
    ],
)
def test_sensitive_topics_go_to_security_urgently(chat_services: Services, text: str) -> None:
    decision = answer_or_handoff(chat_services, text)
    assert decision.handoff and decision.handoff_reason == "sensitive"
    assert decision.urgent and decision.category == "security"


def test_it_answers_from_the_help_center_in_the_asked_language(chat_services: Services) -> None:
    zh = answer_or_handoff(chat_services, "怎么找到充值的 TxID？")
    en = answer_or_handoff(chat_services, "How do I find the TxID of my deposit?")
    for decision, lang in ((zh, "zh-Hans"), (en, "en")):
        assert decision.language == lang and not decision.handoff
        assert decision.category == "deposit_withdrawal" and decision.can_answer
        assert decision.articles[0].category == "deposit_withdrawal"


def test_two_equally_likely_topics_get_a_clarifying_question(chat_services: Services) -> None:
    decision = answer_or_handoff(chat_services, "理财收益和合约爆仓")
    assert set(decision.clarify) == {"earn_loans", "futures"} and not decision.handoff
    picked = answer_or_handoff(chat_services, "理财收益和合约爆仓", category="futures")
    assert picked.clarify == ()


def test_a_second_unhelpful_answer_hands_over(chat_services: Services) -> None:
    first = answer_or_handoff(chat_services, "asdf qwer zxcv")
    assert not first.handoff and first.confidence < 0.35
    second = answer_or_handoff(chat_services, "asdf qwer zxcv", failures=1)
    assert second.handoff and second.handoff_reason == "bot_failed"


def test_ai_is_not_a_request_for_a_person(chat_services: Services) -> None:
    assert not answer_or_handoff(chat_services, "你们用人工智能做风控吗").handoff


def test_the_labelled_set_is_large_and_the_bot_meets_its_bar(chat_services: Services) -> None:
    cases = [json.loads(line) for line in Path(CASES).read_text("utf-8").splitlines() if line]
    assert len(cases) >= 100
    assert {c["language"] for c in cases} == {"zh-Hans", "en"}
    report = evaluate(chat_services, cases)
    assert report["handoff_accuracy"] >= 0.95
    assert report["category_accuracy"] >= 0.8


def test_kefu_bot_ask_prints_json(
    chat_services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kefu.cli import main

    settings = chat_services.settings
    monkeypatch.setenv("KEFU_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("KEFU_DATABASE_URL", settings.resolved_database_url())
    assert main(["bot", "ask", "转人工"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["handoff"] is True and printed["handoff_reason"] == "customer_asked"
    assert set(printed) >= {"language", "category", "articles", "confidence"}
