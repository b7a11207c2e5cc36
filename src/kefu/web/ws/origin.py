"""Which pages may talk to the chat: our own origin and `chat_allowed_origins` (settings)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from kefu.settings import Settings


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origin(conn: HTTPConnection) -> str:
    scheme = "https" if conn.url.scheme in ("https", "wss") else "http"
    return f"{scheme}://{conn.headers.get('host', '')}".lower()


def allowed_origins(settings: Settings) -> set[str]:
    return {origin_of(settings.public_base_url)} | {
        origin_of(o) for o in settings.chat_allowed_origins if o.strip()
    }


def embedding_origin_allowed(conn: HTTPConnection, settings: Settings) -> bool:
    """A browser always sends Origin on a WebSocket; a client without one is not a browser,
    and a page on another site cannot ride a visitor's session through it."""
    origin = conn.headers.get("origin")
    if origin is None:
        return True
    origin = origin.lower()
    return origin == own_origin(conn) or origin in allowed_origins(settings)


def same_origin(conn: HTTPConnection, settings: Settings) -> bool:
    """The agent console only: a cookie-authenticated socket from another site is refused."""
    origin = (conn.headers.get("origin") or "").lower()
    return origin in (own_origin(conn), origin_of(settings.public_base_url))


def cors_headers(conn: HTTPConnection, settings: Settings) -> dict[str, str]:
    origin = conn.headers.get("origin")
    if origin and embedding_origin_allowed(conn, settings):
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    return {}
