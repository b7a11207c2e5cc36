"""Customer identity tokens signed by the exchange (HS256 JWT). See docs/identity.md.

Claims: `uid` (exchange UID, required), `email`, `name`, `exp` (required), optional
`lang` (zh-Hans / en).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

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
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "uid"]},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.PyJWTError:
        raise NotAuthenticated("error.token_invalid") from None
    uid = str(claims["uid"]).strip()
    if not uid or len(uid) > 64:
        raise NotAuthenticated("error.token_invalid")
    return CustomerIdentity(
        uid=uid,
        email=_optional_str(claims.get("email")),
        name=_optional_str(claims.get("name")),
        language=_optional_str(claims.get("lang")),
    )


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
