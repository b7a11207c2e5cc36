"""`kefu smtpd` as its own process: killed mid-delivery, it loses and duplicates nothing."""

from __future__ import annotations

import os
import shutil
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.channels.email.email_kit import DOMAIN, make_email
from tests.support import free_port

MESSAGES = 60


def start_smtpd(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kefu", "smtpd", "--listen", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("kefu smtpd did not start")


def deliver_all(port: int, raws: list[bytes]) -> set[int]:
    """Deliver like an MTA, until the server goes away; return the indexes that got 250."""
    accepted: set[int] = set()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            for index, raw in enumerate(raws):
                smtp.sendmail("wang@example.com", [f"support@{DOMAIN}"], raw)
                accepted.add(index)
    except (smtplib.SMTPException, OSError):
        pass
    return accepted


def kill_when_stored(process: subprocess.Popen[bytes], database: Path, count: int) -> None:
    """SIGKILL while deliveries stream in: somewhere inside parse, ingest or commit."""
    deadline = time.monotonic() + 30
    while len(stored_ids(database)) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)


def stored_ids(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [row[0] for row in conn.execute("SELECT external_id FROM messages")]


def test_killing_the_listener_mid_delivery_loses_and_duplicates_nothing(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = tmp_path / "kefu.sqlite3"
    shutil.copy(sqlite_template, database)
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(tmp_path),
        "KEFU_DATABASE_URL": f"sqlite:///{database}",
        "KEFU_MAIL_FROM": f"Support <support@{DOMAIN}>",
        "KEFU_SECRET_KEY": "test-secret-key-0123456789abcdefghijklmnop",
    }
    raws = [
        make_email(f"message {n}", message_id=f"<kill-{n}@example.com>") for n in range(MESSAGES)
    ]
    port = free_port()

    first = start_smtpd(env, port)
    killer = threading.Thread(target=kill_when_stored, args=(first, database, MESSAGES // 3))
    killer.start()
    accepted = deliver_all(port, raws)
    killer.join()
    first.wait(timeout=10)
    after_crash = stored_ids(database)
    assert MESSAGES // 3 - 1 <= len(accepted) < MESSAGES
    assert {f"<kill-{n}@example.com>" for n in accepted} <= set(after_crash)  # 250 = stored

    second = start_smtpd(env, port)
    try:
        # The MTA retries what it did not see accepted, and, to be safe, everything else too.
        assert deliver_all(port, raws) == set(range(MESSAGES))
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=10)
    ids = stored_ids(database)
    assert sorted(ids) == sorted(f"<kill-{n}@example.com>" for n in range(MESSAGES))
