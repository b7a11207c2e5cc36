"""`kefu email ingest`: .eml files and Maildirs, in batches, each email stored exactly once."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from kefu.channels.email.bulk import IMPORTED, BulkIngest, email_files
from kefu.channels.email.receive import EmailReceiver
from kefu.live.hub import LiveEvent
from kefu.services import Services
from tests.channels.email.email_kit import DOMAIN, job_kinds, make_email, messages, tickets


def write(path: Path, raw: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return path


def mailbox_dump(root: Path) -> None:
    """A migration dump: .eml files in nested folders and a Maildir (cur/ and new/)."""
    write(root / "2025" / "a-first.eml", make_email("充值没到账", message_id="<first@example.com>"))
    write(
        root / "2025" / "b-reply.eml",
        make_email(
            "补充：TxID 7c1f0a9e",
            subject="Re: 充值未到账",
            message_id="<reply@example.com>",
            in_reply_to="<first@example.com>",
        ),
    )
    # The same email twice (a backup and the live folder), in one batch.
    write(root / "2025" / "c-again.eml", make_email("充值没到账", message_id="<first@example.com>"))
    maildir = root / "Maildir"
    write(
        maildir / "cur" / "1700000000.M1P1.host:2,S",
        make_email("Login problem", sender="lina@example.org", message_id="<m1@example.org>"),
    )
    write(
        maildir / "new" / "1700000001.M2P1.host",
        make_email("Withdrawal stuck", sender="lina@example.org", message_id="<m2@example.org>"),
    )
    write(maildir / "tmp" / "1700000002.M3P1.host", make_email("still being delivered"))
    write(root / "notes.txt", b"not mail")
    write(root / "2025" / "d-broken.eml", b"")  # an empty file is no email at all


def live_events(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[LiveEvent]:
    """The events published to the agents' live views from now on."""
    published: list[LiveEvent] = []
    monkeypatch.setattr(services.live, "publish", lambda _topic, event: published.append(event))
    return published


def test_files_are_found_recursively_and_in_maildir_folders(tmp_path: Path) -> None:
    mailbox_dump(tmp_path)
    single = write(tmp_path / "elsewhere" / "single.msg", make_email("x"))

    found = email_files([tmp_path / "2025", tmp_path / "Maildir", single, single])

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "2025/a-first.eml",
        "2025/b-reply.eml",
        "2025/c-again.eml",
        "2025/d-broken.eml",
        "Maildir/cur/1700000000.M1P1.host:2,S",
        "Maildir/new/1700000001.M2P1.host",
        "elsewhere/single.msg",
    ]


@pytest.mark.parametrize("batch_size", [2, 200])
def test_a_dump_is_stored_once_threaded_and_a_second_run_stores_nothing(
    receiver: EmailReceiver,
    email_services: Services,
    tmp_path: Path,
    batch_size: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mailbox_dump(tmp_path)
    published = live_events(email_services, monkeypatch)

    first = BulkIngest(receiver, batch_size=batch_size).run([tmp_path])

    assert first.as_json() == {"ingested": 4, "duplicates": 1, "unprocessable": 1, "failed": 0}
    stored = messages(email_services)
    assert len(stored) == 5
    assert sorted(int(str(e["message_id"])) for e in published) == sorted(m.id for m in stored)
    by_id = {m.external_id: m for m in stored}
    assert by_id["<reply@example.com>"].ticket_id == by_id["<first@example.com>"].ticket_id
    assert by_id["<m1@example.org>"].ticket_id != by_id["<first@example.com>"].ticket_id
    unreadable = [t for t in tickets(email_services) if "unprocessable" in t.tags]
    assert len(unreadable) == 1  # the empty file: kept, for an agent to look at
    # Only the new tickets with a customer address are confirmed (not the unreadable one).
    assert job_kinds(email_services).count("email.ticket_confirmation") == 3

    again = BulkIngest(receiver, batch_size=batch_size).run([tmp_path])

    assert again.as_json() == {"ingested": 0, "duplicates": 6, "unprocessable": 0, "failed": 0}
    assert len(messages(email_services)) == 5
    assert len(published) == 5  # nothing new, nothing announced


def test_a_migration_sends_nothing_and_tags_every_message(
    receiver: EmailReceiver, email_services: Services, tmp_path: Path
) -> None:
    mailbox_dump(tmp_path)

    BulkIngest(receiver, answer=False).run([tmp_path])

    assert "email.ticket_confirmation" not in job_kinds(email_services)
    assert all(IMPORTED in (m.meta or {}).get("tags", []) for m in messages(email_services))


def test_the_sender_rate_counts_the_messages_of_the_same_batch(
    receiver: EmailReceiver, email_services: Services, tmp_path: Path
) -> None:
    limit = email_services.settings.email_rate_limit
    for n in range(limit + 1):
        write(tmp_path / f"{n:02d}.eml", make_email(f"ticket {n}", subject=f"Question {n}"))

    BulkIngest(receiver).run([tmp_path])

    tagged = ["rate_limited" in (m.meta or {}).get("tags", []) for m in messages(email_services)]
    assert tagged == [False] * (limit - 1) + [True, True]  # as live: the 5th and every later


@contextmanager
def poisoned_subject(services: Services, subject: str) -> Iterator[None]:
    """The database refuses tickets with this subject (a real failure, mid-batch)."""
    with services.db.engine.begin() as conn:
        if services.db.is_sqlite:
            conn.execute(
                text(
                    "CREATE TRIGGER poison BEFORE INSERT ON tickets "
                    f"WHEN NEW.subject = '{subject}' BEGIN SELECT RAISE(ABORT, 'poison'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF NEW.subject = '{subject}' THEN RAISE EXCEPTION 'poison'; END IF; "
                    "RETURN NEW; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER poison BEFORE INSERT ON tickets "
                    "FOR EACH ROW EXECUTE FUNCTION poison()"
                )
            )
    try:
        yield
    finally:
        with services.db.engine.begin() as conn:
            conn.execute(
                text("DROP TRIGGER poison" + ("" if services.db.is_sqlite else " ON tickets"))
            )
            if not services.db.is_sqlite:
                conn.execute(text("DROP FUNCTION poison()"))


def test_an_email_that_fails_is_kept_as_unprocessable_and_spoils_nothing_else(
    receiver: EmailReceiver,
    email_services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for n, subject in enumerate(["before", "poison", "after"]):
        write(
            tmp_path / f"{n}.eml",
            make_email(f"body {n}", subject=subject, sender=f"c{n}@example.com"),
        )

    published = live_events(email_services, monkeypatch)
    with poisoned_subject(email_services, "poison"):
        summary = BulkIngest(receiver).run([tmp_path])

    assert summary.as_json() == {"ingested": 2, "duplicates": 0, "unprocessable": 1, "failed": 0}
    stored = tickets(email_services)
    assert [t.subject for t in stored if "unprocessable" not in t.tags] == ["before", "after"]
    [kept] = [m for m in messages(email_services) if m.body_text and "body 1" in m.body_text]
    assert kept.external_id is not None  # the same key: a later run will not store it twice
    # The batch failed and was written one email at a time: each announced once.
    assert len(published) == 3


def test_worker_processes_read_the_files_and_the_order_is_kept(
    receiver: EmailReceiver, email_services: Services, tmp_path: Path
) -> None:
    count = 70  # more than two chunks of work for the workers
    for n in range(count):
        reply = n % 2 == 1
        write(
            tmp_path / f"{n:03d}.eml",
            make_email(
                f"email {n}",
                sender=f"c{n // 2}@example.com",
                message_id=f"<w{n}@example.com>",
                in_reply_to=f"<w{n - 1}@example.com>" if reply else None,
            ),
        )

    summary = BulkIngest(receiver, jobs=2, batch_size=16).run([tmp_path])

    assert summary.as_json() == {
        "ingested": count,
        "duplicates": 0,
        "unprocessable": 0,
        "failed": 0,
    }
    assert len(tickets(email_services)) == count // 2  # every reply found its original


# --------------------------------------------------------------------------- the command


def kefu_env(tmp_path: Path, sqlite_template: Path) -> tuple[dict[str, str], Path]:
    database = tmp_path / "kefu.sqlite3"
    shutil.copy(sqlite_template, database)
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(tmp_path),
        "KEFU_DATABASE_URL": f"sqlite:///{database}",
        "KEFU_MAIL_FROM": f"Support <support@{DOMAIN}>",
        "KEFU_SECRET_KEY": "test-secret-key-0123456789abcdefghijklmnop",
    }
    return env, database


def ingest_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kefu", "email", "ingest", *args]


def stored_ids(database: Path) -> list[str]:
    with sqlite3.connect(database) as conn:
        return [row[0] for row in conn.execute("SELECT external_id FROM messages")]


def test_the_command_prints_a_summary_and_fails_when_a_file_could_not_be_read(
    tmp_path: Path, sqlite_template: Path
) -> None:
    env, _ = kefu_env(tmp_path, sqlite_template)
    dump = tmp_path / "dump"
    mailbox_dump(dump)

    done = subprocess.run(
        ingest_command(str(dump), str(dump / "missing.eml")),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 1
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary == {"ingested": 4, "duplicates": 1, "unprocessable": 1, "failed": 1}
    assert f"failed: {dump / 'missing.eml'} (FileNotFoundError)" in done.stderr

    again = subprocess.run(
        ingest_command(str(dump)), env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert again.returncode == 0
    assert json.loads(again.stdout.strip().splitlines()[-1])["duplicates"] == 6


def test_killing_the_command_mid_ingest_loses_and_duplicates_nothing(
    tmp_path: Path, sqlite_template: Path
) -> None:
    env, database = kefu_env(tmp_path, sqlite_template)
    dump = tmp_path / "dump"
    count = 400
    for n in range(count):
        write(dump / f"{n:04d}.eml", make_email(f"message {n}", message_id=f"<kill-{n}@x.org>"))

    first = subprocess.Popen(
        ingest_command(str(dump), "--batch", "10", "--jobs", "2"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its reading processes go down with it
    )
    deadline = time.monotonic() + 60
    while len(stored_ids(database)) < 30 and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert 30 <= len(stored_ids(database)) < count  # killed mid-way

    subprocess.run(ingest_command(str(dump)), env=env, timeout=120, check=True, capture_output=True)

    ids = stored_ids(database)
    assert sorted(ids) == sorted(f"<kill-{n}@x.org>" for n in range(count))
