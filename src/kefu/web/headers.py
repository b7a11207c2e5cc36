"""Security headers on every response, and the CSRF cookie when a page issued a token.

Plain ASGI middleware: Starlette's BaseHTTPMiddleware costs a task and a stream copy per
request, which shows at thousands of requests per second.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kefu.web.csrf import CSRF_COOKIE

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'"
)
ALWAYS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
HTML_ONLY = [(b"x-frame-options", b"DENY"), (b"content-security-policy", CSP.encode())]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, secure_cookies: bool = False) -> None:
        self.app = app
        self.secure_cookies = secure_cookies  # over HTTPS: the CSRF cookie is Secure too

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secure = self.secure_cookies
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                is_html = any(
                    n.lower() == b"content-type" and v.startswith(b"text/html") for n, v in headers
                )
                for name, value in ALWAYS + (HTML_ONLY if is_html else []):
                    if name not in present:
                        headers.append((name, value))
                headers += _csrf_cookie(scope, secure)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _csrf_cookie(scope: Scope, secure: bool) -> list[tuple[bytes, bytes]]:
    token = scope.get("state", {}).get("csrf")
    if not token or _cookie(scope, CSRF_COOKIE) == token:
        return []
    cookie = f"{CSRF_COOKIE}={token}; Path=/; SameSite=strict" + ("; Secure" if secure else "")
    return [(b"set-cookie", cookie.encode("latin-1"))]


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope["headers"]:
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            jar.load(value.decode("latin-1"))
            if name in jar:
                return jar[name].value
    return None
