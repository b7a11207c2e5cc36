"""Secrets never reach a log handler."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from kefu.shield.log_filter import SecretLogFilter, install_log_filter


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    logger = logging.getLogger("kefu.test.shield")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_messages_and_arguments_are_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    install_log_filter(logger)
    logger.warning("customer wrote: %s", "my password is Hunter2!x and 谷歌验证码 123456")
    out = stream.getvalue()
    assert "Hunter2!x" not in out and "123456" not in out
    assert "[redacted: password]" in out


def test_exception_text_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    install_log_filter(logger)
    try:
        raise ValueError("private key " + "ab" * 32)
    except ValueError:
        logger.exception("failed")
    assert "ab" * 32 not in stream.getvalue()
    assert "Traceback" in stream.getvalue()


def test_installing_twice_adds_one_filter(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, _ = logged
    first = install_log_filter(logger)
    assert install_log_filter(logger) is first
    assert sum(isinstance(f, SecretLogFilter) for f in logger.handlers[0].filters) == 1


def test_unformattable_records_do_not_leak_their_arguments(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    install_log_filter(logger)
    logger.warning("%s %s", "pwd: Secret123")
    assert "Secret123" not in stream.getvalue()
