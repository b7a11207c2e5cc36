"""The portal's security page and the demo deployment, end to end over real HTTP."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient

from kefu.auth.customer_tokens import sign_identity_token
from kefu.services import Services
from kefu.web.app import create_app
from tests.conftest import IDENTITY_SECRET
from tests.exchange.server import ServedExchange, serve
from tests.support import free_port
from tests.trust.actors import cookie_customer


def sign_in(client: TestClient, uid: str, email: str, name: str) -> None:
    token = sign_identity_token(IDENTITY_SECRET, uid, email, name)
    assert client.get(f"/portal/sso?token={token}").status_code == 200


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_a_signed_in_customer_freezes_from_the_portal_button(
    client: TestClient, exchange: ServedExchange
) -> None:
    sign_in(client, "10000010", "zhaolei@example.com", "赵磊")
    page = client.get("/portal/security?lang=zh-Hans")
    assert 'data-status="active"' in page.text and "立即冻结我的账户" in page.text

    done = client.post(
        "/portal/security/freeze?lang=zh-Hans",
        data={"csrf": csrf_of(page.text), "submission_id": "abc123", "note": "手机丢了"},
    )
    assert done.status_code == 200
    assert 'data-status="done"' in done.text and "您的账户已冻结" in done.text
    assert exchange.exchange.accounts["10000010"].status == "frozen"
    assert 'data-status="frozen"' in client.get("/portal/security").text


def test_the_portal_button_needs_the_pages_csrf_token(
    client: TestClient, exchange: ServedExchange
) -> None:
    sign_in(client, "10000010", "zhaolei@example.com", "赵磊")
    refused = client.post("/portal/security/freeze", data={"csrf": "forged", "submission_id": "x"})
    assert refused.status_code == 403
    assert exchange.exchange.applied == []


def test_an_unverified_customer_is_told_how_to_proceed_instead_of_a_button(
    client: TestClient, services: Services, exchange: ServedExchange
) -> None:
    cookie_customer(client, services, "claimed")
    page = client.get("/portal/security?lang=en")
    assert "only customers with a verified identity can freeze" in page.text
    assert "Freeze my account now" not in page.text


def test_the_anti_phishing_code_is_set_from_the_portal(
    client: TestClient, exchange: ServedExchange
) -> None:
    sign_in(client, "10000004", "emily@example.com", "Emily Carter")
    client.cookies.set("kefu_lang", "en")
    page = client.get("/portal/security")
    saved = client.post(
        "/portal/security/anti-phishing-code",
        data={"csrf": csrf_of(page.text), "code": "Blue42Sky"},
    )
    assert saved.status_code == 200
    assert "Your anti-phishing code is updated." in saved.text
    assert "Current code: Blue42Sky" in saved.text


def test_a_demo_deployment_serves_the_demo_exchange_itself_over_http(services: Services) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = services.settings.model_copy(
        update={"exchange_url": "", "exchange_secret": "", "public_base_url": base}
    )
    demo = Services(settings=settings, db=services.db, files=services.files, live=services.live)
    token = sign_identity_token(IDENTITY_SECRET, "10000003", "zhangwei@example.com", "张伟")
    with serve(create_app(settings, demo), port):
        freeze = httpx.post(
            f"{base}/api/v1/security/freeze",
            json={},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        status_page = httpx.get(f"{base}/demo-exchange/", timeout=5)
        unsigned = httpx.get(f"{base}/demo-exchange/v1/accounts/10000003", timeout=5)

    assert freeze.status_code == 200 and freeze.json()["status"] == "done"
    row = next(line for line in status_page.text.split("<tr>") if "10000003" in line)
    assert 'class="frozen"' in row
    assert unsigned.status_code == 401
