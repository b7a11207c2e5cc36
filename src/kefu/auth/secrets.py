"""Random tokens and the hashes we store instead of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_value(value: str, key: str) -> str:
    mac = hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{value}.{mac}"


def unsign_value(signed: str, key: str) -> str | None:
    value = signed.rpartition(".")[0]
    if not value or not hmac.compare_digest(sign_value(value, key), signed):
        return None
    return value
