"""CSRF protection for cookie-authenticated forms and API calls (double-submit cookie)."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from kefu.errors import Forbidden

CSRF_COOKIE = "kefu_csrf"


def csrf_token(request: Request) -> str:
    """The token for this browser; set as a cookie by the middleware when missing."""
    token: str | None = getattr(request.state, "csrf", None) or request.cookies.get(CSRF_COOKIE)
    if not token:
        token = secrets.token_urlsafe(24)
    request.state.csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise Forbidden("error.csrf")
