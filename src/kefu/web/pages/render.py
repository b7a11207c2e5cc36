"""Rendering pages with Jinja2: every template gets `t()`, the language and a CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kefu.categories import CATEGORIES
from kefu.i18n import t
from kefu.web.csrf import csrf_token
from kefu.web.language import request_language

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = request_language(request)
    settings = request.app.state.settings
    brand = settings.brand_name_zh if lang == "zh-Hans" else settings.brand_name
    base = {
        "lang": lang,
        "other_lang": "en" if lang == "zh-Hans" else "zh-Hans",
        "t": lambda key, **params: t(key, lang, **params),
        "brand": brand,
        "categories": CATEGORIES,
        "csrf": csrf_token(request),
        "is_demo": settings.is_demo,
    }
    return TEMPLATES.TemplateResponse(
        request, template, {**base, **context}, status_code=status_code
    )


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message)
