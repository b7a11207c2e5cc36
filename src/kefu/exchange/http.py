"""The adapter client over HTTP: signed requests, timeouts, and errors that say what failed.

See `ExchangeClient` for the operations and docs/exchange-adapter.md for the wire format.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from kefu.exchange.client import (
    AccountClosed,
    AccountFacts,
    AccountNotFound,
    AccountStatus,
    ApiKeyFacts,
    ExchangeRejected,
    ExchangeUnavailable,
    FreezeResult,
    Requester,
    Transfer,
)
from kefu.exchange.config import adapter_secret, adapter_url
from kefu.exchange.signing import signed_headers
from kefu.settings import Settings

log = logging.getLogger(__name__)


class HttpExchangeClient:
    """See `ExchangeClient`."""

    def __init__(
        self,
        base_url: str,
        secret: str,
        timeout_seconds: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._base_path = urlsplit(self._base_url).path
        self._secret = secret
        self._http = httpx.Client(timeout=timeout_seconds, transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HttpExchangeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def account_facts(self, uid: str) -> AccountFacts:
        data = self._call("GET", f"/v1/accounts/{_segment(uid)}")
        return _account_facts(data)

    def freeze(
        self, uid: str, *, reason: str, idempotency_key: str, requested_by: Requester
    ) -> FreezeResult:
        return self._change("freeze", uid, reason, idempotency_key, requested_by)

    def unfreeze(
        self, uid: str, *, reason: str, idempotency_key: str, requested_by: Requester
    ) -> FreezeResult:
        return self._change("unfreeze", uid, reason, idempotency_key, requested_by)

    def api_keys(self, uid: str) -> tuple[ApiKeyFacts, ...]:
        data = self._call("GET", f"/v1/accounts/{_segment(uid)}/api-keys")
        return tuple(_api_key(item) for item in _list(data, "keys"))

    def _change(
        self, action: str, uid: str, reason: str, key: str, requested_by: Requester
    ) -> FreezeResult:
        body = {
            "reason": reason,
            "idempotency_key": key,
            "requested_by": {"kind": requested_by.kind, "id": requested_by.id},
        }
        data = self._call("POST", f"/v1/accounts/{_segment(uid)}/{action}", body)
        try:
            return FreezeResult(
                uid=str(data["uid"]),
                status=AccountStatus(data["status"]),
                action_id=str(data["action_id"]),
                at=_time(data["at"]),
                replayed=bool(data.get("replayed", False)),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ExchangeRejected(f"malformed {action} response: {exc}") from None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
        headers = signed_headers(self._secret, method, path, content)
        headers["Content-Type"] = "application/json"
        started = time.monotonic()
        try:
            response = self._http.request(
                method, self._base_url + path, content=content, headers=headers
            )
        except httpx.TimeoutException:
            raise ExchangeUnavailable(f"{method} {path}: timed out") from None
        except httpx.TransportError as exc:
            raise ExchangeUnavailable(f"{method} {path}: {type(exc).__name__}") from None
        log.info(
            "exchange %s %s -> %d in %.0f ms",
            method,
            self._base_path + path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return _checked(response, method, path)


def exchange_client(settings: Settings) -> HttpExchangeClient:
    """The configured adapter (the built-in demo exchange in demo deployments)."""
    return HttpExchangeClient(
        adapter_url(settings), adapter_secret(settings), settings.exchange_timeout_seconds
    )


def _checked(response: httpx.Response, method: str, path: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    error = data.get("error") if isinstance(data, dict) else None
    where = f"{method} {path}: HTTP {response.status_code} {error or ''}".strip()
    if response.status_code >= 500:
        raise ExchangeUnavailable(where)
    if response.status_code == 404 and error == "account_not_found":
        raise AccountNotFound(path.split("/")[3])
    if response.status_code == 409 and error == "account_closed":
        raise AccountClosed(path.split("/")[3])
    if response.status_code >= 400 or not isinstance(data, dict):
        raise ExchangeRejected(where)
    return data


def _segment(uid: str) -> str:
    return quote(uid, safe="")


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise ExchangeRejected(f"'{key}' is not a list")
    return items


def _time(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError("timestamps must carry a UTC offset")
    return parsed


def _optional_time(value: object) -> datetime | None:
    return None if value is None else _time(value)


def _account_facts(data: dict[str, Any]) -> AccountFacts:
    try:
        return AccountFacts(
            uid=str(data["uid"]),
            kyc_level=int(data["kyc_level"]),
            status=AccountStatus(data["status"]),
            frozen_reason=data.get("frozen_reason"),
            frozen_at=_optional_time(data.get("frozen_at")),
            deposits=tuple(_transfer(t) for t in _list(data, "recent_deposits")),
            withdrawals=tuple(_transfer(t) for t in _list(data, "recent_withdrawals")),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ExchangeRejected(f"malformed account facts: {exc}") from None


def _transfer(item: dict[str, Any]) -> Transfer:
    return Transfer(
        asset=str(item["asset"]),
        amount=str(item["amount"]),
        network=str(item["network"]),
        status=str(item["status"]),
        tx_id=item.get("tx_id"),
        address=item.get("address"),
        at=_time(item["at"]),
    )


def _api_key(item: dict[str, Any]) -> ApiKeyFacts:
    try:
        return ApiKeyFacts(
            key_id=str(item["key_id"]),
            label=str(item.get("label", "")),
            permissions=tuple(str(p) for p in item["permissions"]),
            ip_whitelist=tuple(str(ip) for ip in item.get("ip_whitelist", [])),
            created_at=_time(item["created_at"]),
            last_used_at=_optional_time(item.get("last_used_at")),
            last_used_ip=item.get("last_used_ip"),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ExchangeRejected(f"malformed API key facts: {exc}") from None
