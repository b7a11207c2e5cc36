"""Hardening tests run with small limits, so going over them takes a few requests."""

from __future__ import annotations

import pytest

from kefu.settings import Settings

SMALL_LIMITS = {
    "login_limit_per_ip": 20,
    "login_limit_per_account": 10,
    "ticket_limit_per_ip": 4,
    "ticket_limit_per_customer": 3,
    "chat_limit_per_session": 5,
    "chat_limit_per_ip": 7,
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update=SMALL_LIMITS)
