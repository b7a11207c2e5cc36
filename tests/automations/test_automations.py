"""Automations: the default time rules, event rules, the dry-run, and durability."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from kefu.ingest.pipeline import ingest
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import AutomationRule, Event, Message, OutboxJob, Ticket
from kefu.store.models.base import utcnow
from kefu.work.automations import SWEEP_JOB, ensure_default_automations, run_time_rules
from tests.support import inbound
from tests.workspace.test_workspace_api import signed_in


def new_ticket(services: Services, status: str, idle: timedelta, key: str = "a") -> int:
    receipt = ingest(
        services, inbound("我的提币还没到", subject=f"提币问题 {key}", external_id=key)
    )
    with services.db.write() as session:
        session.execute(
            update(Ticket)
            .where(Ticket.id == receipt.ticket_id)
            .values(status=status, updated_at=utcnow() - idle)
        )
    return receipt.ticket_id


def public_bodies(services: Services, ticket_id: int) -> list[str]:
    with services.db.read() as session:
        return list(
            session.scalars(
                select(Message.body_text).where(
                    Message.ticket_id == ticket_id,
                    Message.author_kind != "customer",
                    Message.visibility == "public",
                )
            )
        )


def status_of(services: Services, ticket_id: int) -> str:
    with services.db.read() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket.status


def test_pending_48h_gets_one_reminder_in_the_customers_language(services: Services) -> None:
    ensure_default_automations(services)
    ticket_id = new_ticket(services, "pending", timedelta(hours=49))
    assert run_time_rules(services, utcnow()) == 1
    assert run_time_rules(services, utcnow()) == 0  # once per stretch of activity
    [reminder] = public_bodies(services, ticket_id)
    assert "仍在等待您的回复" in reminder
    assert status_of(services, ticket_id) == "pending"


def test_pending_5_days_is_solved_with_a_message_and_solved_7_days_is_closed(
    services: Services,
) -> None:
    ensure_default_automations(services)
    pending = new_ticket(services, "pending", timedelta(days=5, hours=1), "p")
    solved = new_ticket(services, "solved", timedelta(days=7, hours=1), "s")
    run_time_rules(services, utcnow())
    assert status_of(services, pending) == "solved"
    assert any("标记为已解决" in body for body in public_bodies(services, pending))
    assert status_of(services, solved) == "closed"


def test_a_customer_reply_is_activity_and_resets_the_clock(services: Services) -> None:
    ensure_default_automations(services)
    ticket_id = new_ticket(services, "pending", timedelta(hours=49))
    run_time_rules(services, utcnow())
    with services.db.read() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        number = ticket.number
    ingest(services, inbound("还没到账", ticket_number=number, external_id="reply"))
    assert status_of(services, ticket_id) == "open"
    assert run_time_rules(services, utcnow()) == 0


def test_every_run_is_recorded_on_the_ticket(services: Services) -> None:
    ensure_default_automations(services)
    ticket_id = new_ticket(services, "pending", timedelta(hours=49))
    run_time_rules(services, utcnow())
    with services.db.read() as session:
        names = [
            e.data["name"]
            for e in session.scalars(
                select(Event).where(
                    Event.ticket_id == ticket_id, Event.kind == "automation.applied"
                )
            )
        ]
    assert names == ["pending-48h-reminder"]


def test_an_event_rule_acts_on_new_matching_tickets(services: Services, worker: Worker) -> None:
    with services.db.write() as session:
        session.add(
            AutomationRule(
                name="security-tag",
                kind="event",
                conditions={"category": "security"},
                actions={"add_tag": "security-review", "note": "请安全团队复核"},
            )
        )
    receipt = ingest(services, inbound("账户被盗了", subject="账户被盗", category="security"))
    other = ingest(
        services, inbound("手续费多少", subject="手续费", category="trading", external_id="x")
    )
    worker.run_once()
    with services.db.read() as session:
        tagged = session.get(Ticket, receipt.ticket_id)
        untouched = session.get(Ticket, other.ticket_id)
    assert tagged is not None and "security-review" in tagged.tags
    assert untouched is not None and "security-review" not in untouched.tags


def test_admins_dry_run_and_create_rules_with_clear_errors(
    client: TestClient, services: Services
) -> None:
    ensure_default_automations(services)
    new_ticket(services, "pending", timedelta(hours=49))
    signed_in(client, services, "admin@kefu.test", role="admin")
    with services.db.read() as session:
        rule_id = session.scalar(
            select(AutomationRule.id).where(AutomationRule.name == "pending-48h-reminder")
        )
    page = client.get(f"/agent/admin/automations?dry_run={rule_id}")
    assert page.status_code == 200 and "提币问题 a" in page.text
    bad = client.post(
        "/agent/admin/automations",
        data={
            "csrf": "csrf-token-for-tests",
            "name": "no-idle",
            "kind": "time",
            "set_status": "closed",
        },
        headers={"Accept-Language": "en"},
    )
    assert bad.status_code == 400 and "idle_hours" in bad.json()["message"]
    good = client.post(
        "/agent/admin/automations",
        data={
            "csrf": "csrf-token-for-tests",
            "name": "hold-48h",
            "kind": "time",
            "status": "on_hold",
            "idle_hours": "48",
            "note": "挂起超过 48 小时，请跟进",
        },
        follow_redirects=False,
    )
    assert good.status_code == 303


def test_only_admins_see_automations(client: TestClient, services: Services) -> None:
    signed_in(client, services, "lead@kefu.test", role="lead")
    assert client.get("/agent/admin/automations").status_code == 403


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_killing_a_real_worker_loses_no_timer_and_runs_nothing_twice(
    services: Services, tmp_path: Path
) -> None:
    ensure_default_automations(services)
    count = 120
    for i in range(count):
        new_ticket(services, "pending", timedelta(hours=49), key=f"k{i}")
    env = {
        **os.environ,
        "KEFU_VAR_DIR": str(tmp_path),
        "KEFU_DATABASE_URL": services.settings.resolved_database_url(),
        "KEFU_SMTP_URL": "smtp://127.0.0.1:1",
        "KEFU_ENVIRONMENT": "test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "kefu", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _reminders(services) < 10:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)  # mid-sweep, at an arbitrary moment
    worker.wait()
    assert _reminders(services) < count, "the sweep finished before the kill; raise count"
    # The sweep was rescheduled before it started work; make it due and run a new worker.
    with services.db.write() as session:
        session.execute(
            update(OutboxJob)
            .where(OutboxJob.kind == SWEEP_JOB)
            .values(run_after=utcnow(), claimed_until=None, claimed_by=None)
        )
    subprocess.run(
        [sys.executable, "-m", "kefu", "worker", "--once"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert _reminders(services) == count
    with services.db.read() as session:
        per_ticket = session.execute(
            select(Event.ticket_id, func.count())
            .where(Event.kind == "automation.applied")
            .group_by(Event.ticket_id)
        ).all()
    assert len(per_ticket) == count and all(n == 1 for _, n in per_ticket)


def _reminders(services: Services) -> int:
    with services.db.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(Event).where(Event.kind == "automation.applied")
            )
            or 0
        )
