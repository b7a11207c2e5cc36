"""A real demo exchange: an ASGI app speaking the adapter protocol over signed HTTP.

It holds the demo customers' accounts (UIDs 10000001–10000012 from `kefu.demo.seed`) in
memory, checks every request's signature, timestamp and nonce like a real exchange
must, and keeps freezes idempotent by key. `make demo` mounts it at /demo-exchange
(docs/exchange-adapter.md); tests serve it with uvicorn on 127.0.0.1.

`inject_fault()` makes the next call fail the way networks do (before or after the
change is applied), so retries can be tested against real behaviour.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any, Literal

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from kefu.demo.seed import DEMO_TICKETS
from kefu.exchange.config import DEMO_MOUNT, adapter_secret, uses_demo_exchange
from kefu.exchange.signing import NonceCache, check_signature
from kefu.settings import Settings

Fault = Literal["unavailable_before", "unavailable_after"]
MAX_REASON = 500


@dataclass
class DemoAccount:
    uid: str
    name: str
    kyc_level: int
    status: str = "active"
    frozen_reason: str | None = None
    frozen_at: datetime | None = None
    deposits: list[dict[str, Any]] = field(default_factory=list)
    withdrawals: list[dict[str, Any]] = field(default_factory=list)
    api_keys: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class AppliedChange:
    """One freeze or unfreeze that changed an account (replays are not listed)."""

    action: str
    uid: str
    idempotency_key: str
    reason: str
    requested_by: dict[str, str]
    at: datetime


def _ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


def _transfer(
    asset: str, amount: str, network: str, status: str, hours: float, **extra: str
) -> dict[str, Any]:
    return {
        "asset": asset,
        "amount": amount,
        "network": network,
        "status": status,
        "at": _ago(hours),
        "tx_id": extra.get("tx_id"),
        "address": extra.get("address"),
    }


def _key(
    key_id: str,
    label: str,
    permissions: list[str],
    whitelist: list[str],
    last_ip: str | None,
    hours: float | None,
) -> dict[str, Any]:
    return {
        "key_id": key_id,
        "label": label,
        "permissions": permissions,
        "ip_whitelist": whitelist,
        "created_at": _ago(24 * 90),
        "last_used_at": None if hours is None else _ago(hours),
        "last_used_ip": last_ip,
    }


# Facts that make the demo tickets' stories checkable (the rest get ordinary history).
STORIES: dict[str, dict[str, Any]] = {
    "10000001": {
        "deposits": [
            _transfer(
                "USDT",
                "500",
                "TRC20",
                "pending",
                2,
                tx_id="7c1f0a9e3b2d4c5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f",
            )
        ]
    },
    "10000003": {
        "withdrawals": [
            _transfer(
                "BTC",
                "1.2",
                "BTC",
                "completed",
                0.5,
                address="bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
                tx_id="f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16",
            )
        ],
        "api_keys": [
            _key(
                "dx_live_8Jq2",
                "trading-bot",
                ["read", "spot_trade", "withdraw"],
                [],
                "185.220.101.4",
                0.6,
            )
        ],
    },
    "10000005": {
        "api_keys": [
            _key(
                "dx_live_3Lm9",
                "quant",
                ["read", "spot_trade"],
                ["203.0.113.10"],
                "203.0.113.10",
                0.1,
            )
        ]
    },
    "10000010": {
        "withdrawals": [
            _transfer(
                "ETH",
                "2",
                "ERC20",
                "reviewing",
                6,
                address="0x52908400098527886E0F7030069857D2E4169EE7",
            )
        ]
    },
    "10000012": {
        "deposits": [
            _transfer(
                "XRP",
                "350",
                "XRP",
                "pending",
                20,
                tx_id="E3FE6EA3D48F0C2B639448020EA4F03D4F4F8FFDB243A852A0F59177921B4879",
            )
        ]
    },
}


def demo_accounts() -> dict[str, DemoAccount]:
    accounts: dict[str, DemoAccount] = {}
    for index, ticket in enumerate(DEMO_TICKETS):
        uid, name = ticket[0], ticket[1]
        story = STORIES.get(uid, {})
        accounts[uid] = DemoAccount(
            uid=uid,
            name=name,
            kyc_level=1 if uid == "10000009" else 2 + index % 2,
            deposits=story.get("deposits", [_transfer("USDT", "100", "TRC20", "completed", 72)]),
            withdrawals=story.get("withdrawals", []),
            api_keys=story.get("api_keys", []),
        )
    return accounts


class DemoExchange:
    """The demo exchange's state and HTTP interface (`app`)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._lock = threading.Lock()
        self.reset()
        self.app = Starlette(
            routes=[
                Route("/", self._status_page),
                Route("/v1/accounts/{uid}", self._get_account),
                Route("/v1/accounts/{uid}/api-keys", self._get_api_keys),
                Route("/v1/accounts/{uid}/freeze", self._post_change, methods=["POST"]),
                Route("/v1/accounts/{uid}/unfreeze", self._post_change, methods=["POST"]),
            ]
        )

    def reset(self) -> None:
        with self._lock:
            self.accounts = demo_accounts()
            self.applied: list[AppliedChange] = []
            self.nonces = NonceCache()
            self._results: dict[str, tuple[str, str, dict[str, Any]]] = {}
            self._faults: deque[Fault] = deque()

    def inject_fault(self, fault: Fault) -> None:
        """The next change request fails with 503, before or after it takes effect."""
        with self._lock:
            self._faults.append(fault)

    def change(
        self, action: str, uid: str, reason: str, key: str, requested_by: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """Apply a freeze/unfreeze once per idempotency key; (HTTP status, response body)."""
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
            if fault == "unavailable_before":
                return 503, {"error": "unavailable"}
            status, body = self._change_locked(action, uid, reason, key, requested_by)
            if fault == "unavailable_after":
                return 503, {"error": "unavailable"}  # applied, but the answer is lost
            return status, body

    def _change_locked(
        self, action: str, uid: str, reason: str, key: str, requested_by: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        if key in self._results:
            done_action, done_uid, body = self._results[key]
            if (done_action, done_uid) != (action, uid):
                return 409, {"error": "idempotency_conflict"}
            return 200, {**body, "replayed": True}
        account = self.accounts.get(uid)
        if account is None:
            return 404, {"error": "account_not_found"}
        if account.status == "closed":
            return 409, {"error": "account_closed"}
        now = datetime.now(UTC)
        target = "frozen" if action == "freeze" else "active"
        if account.status != target:
            account.status = target
            account.frozen_reason = reason if target == "frozen" else None
            account.frozen_at = now if target == "frozen" else None
            self.applied.append(AppliedChange(action, uid, key, reason, requested_by, now))
        body = {
            "uid": uid,
            "status": account.status,
            "action_id": f"dx-{action}-{len(self._results) + 1:06d}",
            "at": now.isoformat(),
            "replayed": False,
        }
        self._results[key] = (action, uid, body)
        return 200, body

    async def _authentic(self, request: Request) -> tuple[bytes, Response | None]:
        body = await request.body()
        root = request.scope.get("root_path", "")
        # The path as sent (percent-encoded), which is what the client signed.
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("latin-1").removeprefix(root)
        if request.url.query:
            path += "?" + request.url.query
        problem = check_signature(
            self.secret, request.method, path, body, request.headers, self.nonces
        )
        if problem is not None:
            return body, JSONResponse({"error": problem.value}, status_code=401)
        return body, None

    async def _get_account(self, request: Request) -> Response:
        _, refused = await self._authentic(request)
        if refused is not None:
            return refused
        with self._lock:
            account = self.accounts.get(request.path_params["uid"])
            if account is None:
                return JSONResponse({"error": "account_not_found"}, status_code=404)
            return JSONResponse(_facts_json(account))

    async def _get_api_keys(self, request: Request) -> Response:
        _, refused = await self._authentic(request)
        if refused is not None:
            return refused
        with self._lock:
            account = self.accounts.get(request.path_params["uid"])
            if account is None:
                return JSONResponse({"error": "account_not_found"}, status_code=404)
            return JSONResponse({"uid": account.uid, "keys": account.api_keys})

    async def _post_change(self, request: Request) -> Response:
        raw, refused = await self._authentic(request)
        if refused is not None:
            return refused
        parsed = _change_request(raw)
        if parsed is None:
            return JSONResponse({"error": "invalid_request"}, status_code=422)
        reason, key, requested_by = parsed
        action = request.url.path.rsplit("/", 1)[1]
        status, body = self.change(action, request.path_params["uid"], reason, key, requested_by)
        return JSONResponse(body, status_code=status)

    async def _status_page(self, request: Request) -> Response:
        with self._lock:
            rows = "".join(
                f"<tr><td>{escape(a.uid)}</td><td>{escape(a.name)}</td><td>{a.kyc_level}</td>"
                f'<td class="{a.status}">{a.status}</td>'
                f"<td>{escape(a.frozen_reason or '')}</td></tr>"
                for a in self.accounts.values()
            )
        return HTMLResponse(
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Demo exchange</title>'
            "<style>td,th{padding:4px 10px;text-align:left}.frozen{color:#b00;font-weight:bold}"
            "</style><h1>Demo exchange — accounts</h1><p>The adapter API kefu calls lives "
            "under <code>/v1/</code> (docs/exchange-adapter.md). This page is demo-only.</p>"
            "<table><tr><th>UID</th><th>Name</th><th>KYC</th><th>Status</th><th>Reason</th>"
            f"</tr>{rows}</table></html>"
        )


def _change_request(raw: bytes) -> tuple[str, str, dict[str, str]] | None:
    try:
        data = json.loads(raw or b"null")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    reason, key, by = data.get("reason"), data.get("idempotency_key"), data.get("requested_by")
    if not isinstance(reason, str) or not 0 < len(reason.strip()) <= MAX_REASON:
        return None
    if not isinstance(key, str) or not 8 <= len(key) <= 200:
        return None
    if not isinstance(by, dict) or not all(isinstance(by.get(k), str) for k in ("kind", "id")):
        return None
    return reason.strip(), key, {"kind": by["kind"], "id": by["id"]}


def _facts_json(account: DemoAccount) -> dict[str, Any]:
    return {
        "uid": account.uid,
        "kyc_level": account.kyc_level,
        "status": account.status,
        "frozen_reason": account.frozen_reason,
        "frozen_at": account.frozen_at.isoformat() if account.frozen_at else None,
        "recent_deposits": account.deposits,
        "recent_withdrawals": account.withdrawals,
    }


def mount_demo_exchange(app: FastAPI, settings: Settings) -> DemoExchange | None:
    """In demo deployments with no adapter configured, serve the demo exchange in-process."""
    if not uses_demo_exchange(settings):
        return None
    exchange = DemoExchange(adapter_secret(settings))
    app.mount(DEMO_MOUNT, exchange.app)
    app.state.demo_exchange = exchange
    return exchange
