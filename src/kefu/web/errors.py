"""The one place errors become HTTP responses: JSON {code, message} in the caller's language."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kefu.errors import KefuError, Unavailable, UserError
from kefu.i18n import t
from kefu.web.language import request_language

log = logging.getLogger(__name__)


def error_response(request: Request, error: KefuError) -> Response:
    lang = request_language(request)
    body = {"code": error.code, "message": t(error.message_key, lang, **error.params)}
    headers = _retry_after(error)
    if _wants_html(request):
        from kefu.web.pages.render import render_error

        page = render_error(request, error.status, body["message"])
        page.headers.update(headers or {})
        return page
    return JSONResponse(body, status_code=error.status, headers=headers)


def _retry_after(error: KefuError) -> dict[str, str] | None:
    """Unavailable: retry in 2 s; an error carrying `retry_after` seconds says so."""
    seconds = getattr(error, "retry_after", None)
    if isinstance(seconds, int):
        return {"Retry-After": str(seconds)}
    return {"Retry-After": "2"} if isinstance(error, Unavailable) else None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KefuError)
    async def _kefu_error(request: Request, exc: KefuError) -> Response:
        if isinstance(exc, UserError):
            log.info("user error %s on %s", exc.code, request.url.path)
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, _validation_error(exc))

    @app.exception_handler(OperationalError)
    async def _database_down(request: Request, exc: OperationalError) -> Response:
        log.warning("database unavailable on %s: %s", request.url.path, type(exc.orig).__name__)
        return error_response(request, Unavailable())

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        error = KefuError("error.not_found" if exc.status_code == 404 else "error.bad_request")
        error.status, error.code = exc.status_code, code
        return error_response(request, error)


def _validation_error(exc: RequestValidationError) -> UserError:
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "form")]
    field = ".".join(location) or "body"
    if first.get("type") == "extra_forbidden":
        error = UserError("error.unknown_field", code="unknown_field", field=field)
    else:
        detail = str(first.get("msg", "invalid"))
        error = UserError("error.validation", code="validation_error", field=field, detail=detail)
    error.status = 422
    return error


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api/") and "text/html" in request.headers.get("accept", "")
