"""The adapter client against the demo exchange, over real signed HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from kefu.exchange.client import (
    AccountNotFound,
    AccountStatus,
    ExchangeRejected,
    ExchangeUnavailable,
    Requester,
)
from kefu.exchange.http import HttpExchangeClient
from kefu.exchange.signing import MAX_SKEW_SECONDS, signed_headers
from tests.exchange.server import ServedExchange
from tests.support import free_port

AGENT = Requester("agent", "3")


def client_for(exchange: ServedExchange, secret: str | None = None) -> HttpExchangeClient:
    return HttpExchangeClient(exchange.url, secret or exchange.secret, timeout_seconds=2)


def test_it_reads_account_facts_of_a_demo_customer(exchange: ServedExchange) -> None:
    with client_for(exchange) as client:
        facts = client.account_facts("10000001")
    assert facts.status is AccountStatus.ACTIVE
    assert facts.kyc_level >= 1
    [deposit] = facts.deposits
    assert (deposit.asset, deposit.amount, deposit.network, deposit.status) == (
        "USDT",
        "500",
        "TRC20",
        "pending",
    )
    assert deposit.at.tzinfo is not None


def test_it_reads_api_key_facts_without_secrets(exchange: ServedExchange) -> None:
    with client_for(exchange) as client:
        [key] = client.api_keys("10000003")
    assert "withdraw" in key.permissions
    assert key.ip_whitelist == ()  # the stolen account's key worked from anywhere
    assert key.last_used_ip == "185.220.101.4"


def test_a_freeze_is_applied_once_per_idempotency_key(exchange: ServedExchange) -> None:
    with client_for(exchange) as client:
        first = client.freeze(
            "10000003", reason="stolen", idempotency_key="k-00000001", requested_by=AGENT
        )
        again = client.freeze(
            "10000003", reason="stolen", idempotency_key="k-00000001", requested_by=AGENT
        )
        facts = client.account_facts("10000003")
    assert first.status is AccountStatus.FROZEN and not first.replayed
    assert again.replayed and again.action_id == first.action_id
    assert facts.status is AccountStatus.FROZEN and facts.frozen_reason == "stolen"
    assert [c.action for c in exchange.exchange.applied] == ["freeze"]


def test_an_unfreeze_lifts_the_freeze(exchange: ServedExchange) -> None:
    with client_for(exchange) as client:
        client.freeze("10000002", reason="r", idempotency_key="k-freeze-1", requested_by=AGENT)
        result = client.unfreeze(
            "10000002", reason="ok", idempotency_key="k-unfreeze-1", requested_by=AGENT
        )
        assert client.account_facts("10000002").status is AccountStatus.ACTIVE
    assert result.status is AccountStatus.ACTIVE
    assert [c.action for c in exchange.exchange.applied] == ["freeze", "unfreeze"]


def test_an_unknown_uid_is_account_not_found(exchange: ServedExchange) -> None:
    with client_for(exchange) as client, pytest.raises(AccountNotFound):
        client.account_facts("99999999")


def test_a_wrong_secret_is_refused_by_the_exchange(exchange: ServedExchange) -> None:
    client = client_for(exchange, secret="not-the-shared-secret")
    with client, pytest.raises(ExchangeRejected) as caught:
        client.account_facts("10000001")
    assert "signature_invalid" in caught.value.detail


def test_an_unreachable_exchange_is_unavailable() -> None:
    client = HttpExchangeClient(f"http://127.0.0.1:{free_port()}", "s", 1)
    with client, pytest.raises(ExchangeUnavailable):
        client.account_facts("10000001")


def test_a_503_from_the_exchange_is_unavailable(exchange: ServedExchange) -> None:
    exchange.exchange.inject_fault("unavailable_before")
    with client_for(exchange) as client, pytest.raises(ExchangeUnavailable):
        client.freeze("10000004", reason="r", idempotency_key="k-00000002", requested_by=AGENT)
    assert exchange.exchange.applied == []


def raw(
    exchange: ServedExchange, path: str, body: bytes, headers: dict[str, str]
) -> httpx.Response:
    return httpx.post(exchange.url + path, content=body, headers=headers, timeout=2)


def test_a_stale_timestamp_is_refused(exchange: ServedExchange) -> None:
    path = "/v1/accounts/10000001/freeze"
    body = json.dumps(
        {
            "reason": "r",
            "idempotency_key": "k-00000003",
            "requested_by": {"kind": "agent", "id": "1"},
        }
    ).encode()
    stale = int(time.time()) - MAX_SKEW_SECONDS - 5
    response = raw(
        exchange, path, body, signed_headers(exchange.secret, "POST", path, body, timestamp=stale)
    )
    assert response.status_code == 401
    assert response.json() == {"error": "timestamp_out_of_window"}
    assert exchange.exchange.applied == []


def test_a_replayed_nonce_is_refused(exchange: ServedExchange) -> None:
    path = "/v1/accounts/10000001/freeze"
    body = json.dumps(
        {
            "reason": "r",
            "idempotency_key": "k-00000004",
            "requested_by": {"kind": "agent", "id": "1"},
        }
    ).encode()
    headers = signed_headers(exchange.secret, "POST", path, body)
    assert raw(exchange, path, body, headers).status_code == 200
    replay = raw(exchange, path, body, headers)
    assert replay.status_code == 401
    assert replay.json() == {"error": "nonce_replayed"}


def test_a_tampered_body_or_path_is_refused(exchange: ServedExchange) -> None:
    path = "/v1/accounts/10000001/freeze"
    body = json.dumps(
        {
            "reason": "r",
            "idempotency_key": "k-00000005",
            "requested_by": {"kind": "agent", "id": "1"},
        }
    ).encode()
    headers = signed_headers(exchange.secret, "POST", path, body)
    tampered = body.replace(b"10000001", b"10000002").replace(b'"r"', b'"x"')
    assert raw(exchange, path, tampered, headers).json() == {"error": "signature_invalid"}
    other_path = "/v1/accounts/10000002/freeze"
    assert raw(exchange, other_path, body, headers).json() == {"error": "signature_invalid"}
    unsigned = httpx.get(exchange.url + "/v1/accounts/10000001", timeout=2)
    assert unsigned.status_code == 401
    assert exchange.exchange.applied == []
