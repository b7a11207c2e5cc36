"""The errors kefu raises on purpose. `web/errors.py` alone maps them to HTTP.

Each carries a stable `code` and a message key in the i18n catalogue, so the
response can be given in the requester's language.
"""

from __future__ import annotations


class KefuError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message_key: str | None = None, **params: object) -> None:
        self.message_key = message_key or f"error.{self.code}"
        self.params = params
        super().__init__(self.message_key)


class UserError(KefuError):
    """Safe to show: the request was wrong in a way the requester can fix."""

    status = 400
    code = "bad_request"

    def __init__(self, message_key: str | None = None, code: str | None = None, **params: object):
        if code:
            self.code = code
        super().__init__(message_key, **params)


class NotAuthenticated(KefuError):
    status = 401
    code = "not_authenticated"


class Forbidden(KefuError):
    status = 403
    code = "forbidden"


class NotFound(KefuError):
    """Also used for what exists but is not yours: we never confirm it exists."""

    status = 404
    code = "not_found"


class Conflict(KefuError):
    status = 409
    code = "conflict"


class TooLarge(KefuError):
    status = 413
    code = "too_large"


class Unavailable(KefuError):
    """A dependency (the database) is locked or down; the client may retry."""

    status = 503
    code = "unavailable"
