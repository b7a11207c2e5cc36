"""Every test here talks to the demo exchange served over real HTTP."""

from __future__ import annotations

import pytest

from kefu.settings import Settings


@pytest.fixture
def settings(exchange_settings: Settings) -> Settings:
    return exchange_settings
