"""Asked "is this really you?", the chat bot answers with the official-channel verifier."""

from __future__ import annotations

from typing import Any


def test_the_bot_flags_a_look_alike_and_names_the_real_one(open_widget: Any) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    widget.say("q1", "这个 Telegram 账号 @DemoExchange_Support1 是你们官方的吗？")
    answer = widget.bot_reply()["text"]
    assert "疑似仿冒" in answer
    assert "@DemoExchangeSupport" in answer
    assert "/verify" in answer


def test_the_bot_confirms_an_official_address_in_english(open_widget: Any) -> None:
    widget = open_widget()
    widget.hello(lang="en")
    widget.say("q2", "Is security@demo-exchange.example your official email?")
    answer = widget.bot_reply()["text"]
    assert answer.startswith("security@demo-exchange.example: Official")


def test_other_questions_still_go_to_the_help_center(open_widget: Any) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    widget.say("q3", "USDT 充值一直没到账怎么办")
    assert "疑似仿冒" not in widget.bot_reply()["text"]
