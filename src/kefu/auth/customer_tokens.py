"""Customer identity tokens signed by the exchange (HS256 JWT). See docs/identity.md.

Claims: `uid` (exchange UID, required), `email`, `name`, `exp` (required), optional
`lang` (zh-Hans / en).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import jwt

from kefu.errors import NotAuthenticated

LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class CustomerIdentity:
    uid: str
    email: str | None
    name: str | None
    language: str | None = None


def verify_identity_token(token: str, secret: str) -> CustomerIdentity:
    identity, expires_at = _verified(token, secret)
    if time.time() > expires_at + LEEWAY_SECONDS:
        raise NotAuthenticated("error.token_invalid")
    return identity


@lru_cache(maxsize=4096)
def _verified(token: str, secret: str) -> tuple[CustomerIdentity, float]:
    """The signature is checked once per token (a widget or an exchange backend sends the
    same one on every call); expiry is checked on every use by the caller."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "uid"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise NotAuthenticated("error.token_invalid") from None
    uid = str(claims["uid"]).strip()
    if not uid or len(uid) > 64 or not isinstance(claims["exp"], int | float):
        raise NotAuthenticated("error.token_invalid")
    identity = CustomerIdentity(
        uid=uid,
        email=_optional_str(claims.get("email")),
        name=_optional_str(claims.get("name")),
        language=_optional_str(claims.get("lang")),
    )
    return identity, float(claims["exp"])


def sign_identity_token(
    secret: str,
    uid: str,
    email: str | None = None,
    name: str | None = None,
    ttl_seconds: int = 3600,
) -> str:
    """What the exchange's backend does; kefu uses it for the demo and tests."""
    claims: dict[str, object] = {"uid": uid, "exp": int(time.time()) + ttl_seconds}
    if email:
        claims["email"] = email
    if name:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm="HS256")


def _optional_str(value: object) -> str | None:
    return str(value)[:320] if value else None
