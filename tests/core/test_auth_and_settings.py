"""Agent sign-in factors, customer tokens, configuration checks, translations."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from kefu.auth.customer_tokens import sign_identity_token, verify_identity_token
from kefu.auth.passwords import hash_password, verify_password
from kefu.auth.totp import accepted_step
from kefu.errors import NotAuthenticated
from kefu.i18n import CATALOG
from kefu.settings import Settings, configuration_problems


def test_passwords_are_argon2_and_verify() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "wrong")
    assert not verify_password(None, "anything")


def test_a_totp_code_is_accepted_once_and_only_near_its_time() -> None:
    secret = pyotp.random_base32()
    now = time.time()
    code = pyotp.TOTP(secret).at(now)
    step = accepted_step(secret, code, last_step=0, now=now)
    assert step is not None
    assert accepted_step(secret, code, last_step=step, now=now) is None  # replay
    assert accepted_step(secret, code, last_step=0, now=now + 300) is None  # too late
    assert accepted_step(secret, "12345", last_step=0, now=now) is None


def test_a_token_already_verified_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    token = sign_identity_token("s" * 32, "777", ttl_seconds=60)
    assert verify_identity_token(token, "s" * 32).uid == "777"  # now remembered
    later = time.time() + 60 + 31  # past exp and the 30 s leeway
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(NotAuthenticated):
        verify_identity_token(token, "s" * 32)


def test_identity_tokens_verify_and_reject_tampering_and_expiry() -> None:
    token = sign_identity_token("s" * 32, "123", "a@example.com", "A")
    identity = verify_identity_token(token, "s" * 32)
    assert (identity.uid, identity.email, identity.name) == ("123", "a@example.com", "A")
    with pytest.raises(NotAuthenticated):
        verify_identity_token(token, "t" * 32)
    expired = sign_identity_token("s" * 32, "123", ttl_seconds=-120)
    with pytest.raises(NotAuthenticated):
        verify_identity_token(expired, "s" * 32)


def test_config_check_explains_each_problem_on_one_line() -> None:
    settings = Settings(
        database_url="mysql://x",
        default_time_zone="Mars/Olympus",
        languages=["fr"],
        environment="production",
        smtp_url="ftp://x",
    )
    problems = configuration_problems(settings)
    joined = "\n".join(problems)
    for name in (
        "KEFU_DATABASE_URL",
        "KEFU_DEFAULT_TIME_ZONE",
        "KEFU_LANGUAGES",
        "KEFU_SMTP_URL",
        "KEFU_SECRET_KEY",
        "KEFU_IDENTITY_SECRET",
    ):
        assert name in joined
    assert all("\n" not in line for line in problems)
    assert configuration_problems(Settings()) == []


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, (zh, en) in CATALOG.items():
        assert zh.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key
