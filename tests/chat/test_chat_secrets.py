"""Secrets typed into the chat widget never reach the database, the logs or the bot."""

from __future__ import annotations

from typing import Any

import pytest

from kefu.services import Services
from tests.core.test_secrets_never_stored import MESSAGE, assert_no_secret, everything_stored


def test_a_seed_phrase_sent_in_chat_is_redacted_before_storage_and_the_bot(
    open_widget: Any, chat_services: Services, logs: pytest.LogCaptureFixture
) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    ack = widget.say("s1", MESSAGE)
    assert ack["type"] == "ack"
    assert "[已隐藏:助记词]" in ack["text"]  # the sender's copy shows what was stored
    widget.until("message", where=lambda e: e["author"] == "bot")
    assert_no_secret(everything_stored(chat_services))
    assert_no_secret(logs.text)
    assert_no_secret(" ".join(str(event) for event in widget.seen))
