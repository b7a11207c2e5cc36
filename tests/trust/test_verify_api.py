"""The verifier over HTTP: API, public page in both languages, rate limit, registry admin."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kefu.services import Services
from kefu.settings import Settings
from kefu.trust.registry import DEMO_IDENTITIES
from tests.trust.actors import agent_headers


def test_the_api_names_the_real_one_and_says_why(client: TestClient) -> None:
    response = client.post(
        "/api/v1/verify", json={"text": "@DemoExchangeSupp0rt"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    verdict = response.json()
    assert verdict["status"] == "likely_impersonation"
    assert verdict["status_label"] == "Likely impersonation"
    assert verdict["matched_official"] == "@DemoExchangeSupport"
    assert verdict["reasons"][0]["code"] == "character_swap"
    assert "@DemoExchangeSupport" in verdict["reasons"][0]["message"]


def test_the_api_answers_in_chinese(client: TestClient) -> None:
    verdict = client.post(
        "/api/v1/verify",
        json={"text": "https://demo-exchange.example.evil.com/login"},
        headers={"Accept-Language": "zh-CN"},
    ).json()
    assert verdict["status_label"] == "疑似仿冒"
    assert "evil.com" in verdict["reasons"][0]["message"]
    assert "官方域名" in verdict["reasons"][0]["message"]


def test_the_kind_hint_is_honoured(client: TestClient) -> None:
    verdict = client.post("/api/v1/verify", json={"text": "202 555 0147", "kind": "phone"}).json()
    assert verdict["status"] == "official" and verdict["kind"] == "phone"


def test_the_verifier_is_rate_limited_per_client(client: TestClient) -> None:
    for _ in range(Settings().verify_limit_per_ip):
        assert client.post("/api/v1/verify", json={"text": "@binance"}).status_code == 200
    limited = client.post(
        "/api/v1/verify", json={"text": "@binance"}, headers={"Accept-Language": "en"}
    )
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert client.get("/verify?q=@binance").status_code == 429  # the page shares the bucket


def test_the_public_page_shows_the_verdict_and_the_real_one_in_both_languages(
    client: TestClient,
) -> None:
    en = client.get("/verify?q=https://dem0-exchange.com&lang=en", headers={"Accept": "text/html"})
    assert en.status_code == 200
    assert 'data-status="likely_impersonation"' in en.text
    assert "The official one is: demo-exchange.example" in en.text
    zh = client.get("/verify?q=support@demo-exchange.example&lang=zh-Hans")
    assert 'data-status="official"' in zh.text and "官方渠道" in zh.text
    empty = client.get("/verify?lang=en")
    assert "Verify an official channel" in empty.text and "data-status" not in empty.text


def test_the_registry_is_public_and_seeded_in_demo(client: TestClient) -> None:
    identities = client.get("/api/v1/trust/identities").json()["identities"]
    assert {i["display"] for i in identities} == {o.display for o in DEMO_IDENTITIES}


def test_security_or_admin_maintain_the_registry_and_the_verifier_follows(
    client: TestClient, services: Services
) -> None:
    client.get("/api/v1/trust/identities")  # seed
    alice = agent_headers(client, services, "agent", "alice")
    body = {"kind": "telegram", "value": "https://t.me/DemoExchangeNews", "note": "announcements"}
    assert client.post("/api/v1/trust/identities", json=body, headers=alice).status_code == 403

    admin = agent_headers(client, services, "admin", "ada")
    created = client.post("/api/v1/trust/identities", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["value"] == "demoexchangenews"
    assert client.post("/api/v1/trust/identities", json=body, headers=admin).status_code == 409
    verdict = client.post("/api/v1/verify", json={"text": "@DemoExchangeNews"}).json()
    assert verdict["status"] == "official"

    removed = client.delete(f"/api/v1/trust/identities/{created.json()['id']}", headers=admin)
    assert removed.status_code == 204
    verdict = client.post("/api/v1/verify", json={"text": "@DemoExchangeNews"}).json()
    assert verdict["status"] == "likely_impersonation"
