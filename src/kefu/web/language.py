"""Which language a request is answered in: ?lang=, then the cookie, then Accept-Language."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from kefu.i18n import normalize_language, pick_language

LANG_COOKIE = "kefu_lang"


def request_language(request: HTTPConnection) -> str:
    explicit = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if explicit:
        return normalize_language(explicit)
    default = "zh-Hans"
    settings = getattr(request.app.state, "settings", None)
    if settings is not None:
        default = settings.default_language
    return pick_language(request.headers.get("accept-language"), default)
