"""Over HTTPS every cookie kefu sets carries the Secure flag; over plain HTTP (the demo)
it cannot."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kefu.services import Services
from kefu.web.app import create_app
from tests.conftest import identity_token


def _cookies_set(client: TestClient) -> list[str]:
    page = client.get("/agent/login")
    sso = client.get(f"/portal/sso?token={identity_token('10000001')}", follow_redirects=False)
    lang = client.get("/lang/en?next=/help", follow_redirects=False)
    return [
        *page.headers.get_list("set-cookie"),
        *sso.headers.get_list("set-cookie"),
        *lang.headers.get_list("set-cookie"),
    ]


def test_over_https_every_cookie_is_secure(services: Services) -> None:
    object.__setattr__(services.settings, "public_base_url", "https://support.example.com")
    with TestClient(create_app(services.settings, services)) as client:
        cookies = _cookies_set(client)
    assert {c.split("=", 1)[0] for c in cookies} >= {"kefu_csrf", "kefu_customer", "kefu_lang"}
    assert all("secure" in c.lower() for c in cookies), cookies


def test_over_plain_http_the_demo_cookies_work_without_secure(client: TestClient) -> None:
    cookies = _cookies_set(client)
    assert cookies and not any("secure" in c.lower() for c in cookies)


def test_the_language_switch_only_returns_to_this_site(client: TestClient) -> None:
    for elsewhere in ("//evil.example/x", "/\\evil.example", "https://evil.example"):
        answer = client.get(f"/lang/en?next={elsewhere}", follow_redirects=False)
        assert answer.headers["location"] == "/"
    assert client.get("/lang/en?next=/help", follow_redirects=False).headers["location"] == "/help"
