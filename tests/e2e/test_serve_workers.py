"""`kefu serve --workers 2` on one SQLite file: two processes take tickets at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from kefu.auth.customer_tokens import sign_identity_token
from tests.served import wait_until_up
from tests.support import free_port

SECRET = "workers-test-identity-secret-0123456789"


def test_two_processes_store_every_ticket_once_with_unique_numbers(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(tmp_path),
        "KEFU_IDENTITY_SECRET": SECRET,
        "KEFU_SMTP_URL": f"smtp://127.0.0.1:{free_port()}",
        "KEFU_RUN_WORKER_IN_WEB": "false",
        # 80 tickets from one address in a second is a load test, not abuse.
        "KEFU_RATE_LIMITS_ENABLED": "false",
    }
    env.pop("KEFU_DATABASE_URL", None)
    env.pop("KEFU_REDIS_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "kefu", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda i: _submit(base, i), range(80)))
    finally:
        server.terminate()
        server.wait(timeout=15)

    assert [status for status, _ in answers] == [201] * 80
    numbers = {number for _, number in answers}
    assert len(numbers) == 80
    with sqlite3.connect(tmp_path / "kefu.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM tickets").fetchone()[0] == 80
        assert db.execute("SELECT count(DISTINCT number) FROM tickets").fetchone()[0] == 80
    # Each process announced itself for live events between them, and left on shutdown.
    assert not list((tmp_path / "live").glob("kefu-live-*"))


def _submit(base: str, i: int) -> tuple[int, str]:
    token = sign_identity_token(SECRET, f"9100{i:04d}", f"c{i}@example.com", f"C{i}", 600)
    answer = httpx.post(
        base + "/api/v1/tickets",
        headers={"Authorization": f"Bearer {token}"},
        json={"category": "trading", "subject": f"Order {i} question", "description": "help"},
        timeout=30,
    )
    return answer.status_code, str(answer.json().get("number"))
