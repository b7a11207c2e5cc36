"""The insider tests read account facts from the demo exchange served over real HTTP."""

from __future__ import annotations

import pytest

from kefu.settings import Settings


@pytest.fixture
def settings(exchange_settings: Settings) -> Settings:
    exchange_settings.insider_view_threshold = 3
    return exchange_settings
