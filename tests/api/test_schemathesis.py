"""Property-based requests against every operation of the OpenAPI schema: never a 5xx.

Schemathesis reads `/api/v1/openapi.json` from the app in-process and generates requests
for each operation; each caller (a verified customer, an integration token with every
scope, a signed-in admin and
a security agent) sends them, and no response may be a server error.

SQLite only: this is about what the handlers do with odd input, not about the database;
PostgreSQL behaviour is covered by the rest of the suite, and one database keeps the run
short. Bounded and deterministic: few examples per operation, a derandomized search, no
deadline, no shrinking (a failure is reported as found, with the request to replay it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import APIOperation, Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from kefu.auth.agents import create_agent, create_api_token, start_session
from kefu.auth.roles import ALL_SCOPES
from kefu.services import Services
from kefu.settings import Settings
from kefu.web.app import create_app
from kefu.web.deps import AGENT_COOKIE
from tests.conftest import identity_token

MAX_EXAMPLES = int(os.environ.get("KEFU_FUZZ_EXAMPLES", "8"))
CSRF = "csrf-token-for-tests"
Operation = APIOperation[Any, Any, Any, Any]
Caller = dict[str, dict[str, str]]  # {"headers": {...}, "cookies": {...}}

SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only (see the module docstring): overrides the suite's two-database fixture."""
    path = tmp_path / "kefu.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(exchange_settings: Settings) -> Settings:
    """The security endpoints call the exchange: the served demo one answers them."""
    return exchange_settings


@pytest.fixture
def app(services: Services) -> FastAPI:
    return create_app(services.settings, services)


def customer_headers() -> dict[str, str]:
    token = identity_token("10000003", "zhangwei@example.com", "张伟")
    return {"Authorization": f"Bearer {token}"}


def customer(services: Services) -> Caller:
    return {"headers": customer_headers(), "cookies": {}}


def integration(services: Services) -> Caller:
    with services.db.write() as session:
        token = create_api_token(session, "schemathesis", sorted(ALL_SCOPES))
    return {"headers": {"Authorization": f"Bearer {token}"}, "cookies": {}}


def signed_in(role: str) -> Callable[[Services], Caller]:
    """An agent of `role` with a web session (cookie plus the CSRF header)."""

    def caller(services: Services) -> Caller:
        with services.db.write() as session:
            email = f"fuzz-{role}@kefu.test"
            agent = create_agent(session, email, "Fuzz", "password-123456", role, None)
            cookie = start_session(session, agent)
        return {
            "headers": {"X-CSRF-Token": CSRF},
            "cookies": {AGENT_COOKIE: cookie, "kefu_csrf": CSRF},
        }

    return caller


CALLERS: dict[str, Callable[[Services], Caller]] = {
    "customer": customer,
    "integration": integration,
    "admin": signed_in("admin"),
    "security": signed_in("security"),
}


def seeded_ticket(app: FastAPI) -> str:
    """A real ticket of the fuzzing customer, so `{number}` sometimes names one."""
    with TestClient(app) as client:
        response = client.post(
            "/api/v1/tickets",
            json={
                "category": "deposit_withdrawal",
                "subject": "USDT 充值未到账",
                "description": "TxID 0xabc，已经 2 小时了",
            },
            headers=customer_headers(),
        )
    assert response.status_code == 201, response.text
    number: str = response.json()["number"]
    return number


def operations(app: FastAPI) -> list[Operation]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    found: list[Operation] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the schema has an invalid operation: {result}"
        found.append(result.ok())
    return found


def server_errors(operation: Operation, caller: Caller, number: str) -> str | None:
    """Run the generated cases for one operation; the first failure, described, or None.
    Half the cases with a ticket `{number}` get the seeded ticket's instead of a random one."""

    @SETTINGS
    @given(case=operation.as_strategy(), real_ticket=st.booleans())
    def run(case: Case[Any], real_ticket: bool) -> None:
        if real_ticket and case.path_parameters and "number" in case.path_parameters:
            case.path_parameters["number"] = number
        headers = {**dict(case.headers or {}), **caller["headers"]}
        response = case.call(headers=headers, cookies=caller["cookies"])
        case.validate_response(response, checks=[not_a_server_error])

    try:
        run()
    except AssertionError as exc:
        return f"{operation.label}: {exc}"
    except Exception as exc:  # a failure schemathesis reports its own way
        return f"{operation.label}: {type(exc).__name__}: {exc}"
    return None


@pytest.mark.parametrize("who", sorted(CALLERS))
def test_no_operation_answers_with_a_server_error(
    app: FastAPI, services: Services, who: str
) -> None:
    caller = CALLERS[who](services)
    number = seeded_ticket(app)
    found = operations(app)
    assert len(found) >= 30, "the schema lost its operations"
    failures = [e for op in found if (e := server_errors(op, caller, number)) is not None]
    assert not failures, "\n\n".join(failures)
