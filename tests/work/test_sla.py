"""SLA policies and clocks on a real database: due times, pause/resume, warnings, breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from kefu.audit import Actor
from kefu.ingest.inbound import Channel
from kefu.jobs.outbox import enqueue
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import (
    Customer,
    Event,
    Message,
    OutboxJob,
    SlaClock,
    SlaPolicy,
    Ticket,
)
from kefu.tickets.actions import FieldChanges, add_agent_message, change_fields, set_status
from kefu.work.calendar import add_business_time
from kefu.work.policies import (
    conditions_hold,
    ensure_default_sla_policies,
    expected_first_reply,
    match_policy,
    spec_calendar,
)
from tests.support import MailSink, plain_text
from tests.work.conftest import (
    as_utc,
    backdate,
    drain,
    events,
    get_ticket,
    make_agent,
    make_due_now,
    open_ticket,
    pending_jobs,
    with_live_events,
)

HOUR = timedelta(hours=1)
pytestmark = pytest.mark.usefixtures("sla_policies")


def agent_reply(services: Services, ticket_id: int, status: str | None = None) -> None:
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        add_agent_message(session, ticket, Actor("agent", None), "请提供截图", internal=False)
        if status:
            set_status(session, ticket, status, Actor("agent", None))


def clock(services: Services, ticket_id: int, metric: str) -> SlaClock:
    with services.db.read() as session:
        return session.scalars(
            select(SlaClock).where(SlaClock.ticket_id == ticket_id, SlaClock.metric == metric)
        ).one()


def test_a_new_ticket_gets_due_times_counted_in_business_hours(
    services: Services, worker: Worker
) -> None:
    ticket_id = open_ticket(services)
    drain(worker)

    ticket = get_ticket(services, ticket_id)
    business = spec_calendar("business")
    assert ticket.first_reply_due_at == add_business_time(business, ticket.created_at, 24 * HOUR)
    assert ticket.resolution_due_at == add_business_time(business, ticket.created_at, 72 * HOUR)
    assert ticket.next_reply_due_at is None
    assert [e["policy"] for e in events(services, ticket_id, "sla.policy_applied")] == ["standard"]
    timers = pending_jobs(services, "sla.timer")
    assert sorted((j.payload["metric"], j.payload["kind"]) for j in timers) == [
        ("first_reply", "breach"),
        ("first_reply", "warning"),
        ("resolution", "breach"),
        ("resolution", "warning"),
    ]
    warning = next(j for j in timers if j.payload["kind"] == "warning")
    assert warning.run_after == add_business_time(business, ticket.created_at, 24 * HOUR * 0.8)


def test_recomputing_again_schedules_no_new_timers(services: Services, worker: Worker) -> None:
    ticket_id = open_ticket(services)
    drain(worker)
    with services.db.write() as session:
        enqueue(session, "sla.recompute", {"ticket_id": ticket_id})
    drain(worker)
    assert len(pending_jobs(services, "sla.timer")) == 4


def test_policies_match_by_priority_channel_tier_in_position_order(services: Services) -> None:
    facts = {"priority": "high", "channel": "email", "category": None, "tier": "vip"}
    assert conditions_hold({"tier": ["vip"]}, facts)
    assert not conditions_hold({"tier": ["vip"], "channel": ["chat"]}, facts)
    assert conditions_hold({}, facts)

    urgent = open_ticket(services, "账户被盗", priority_floor="urgent")
    chat = open_ticket(services, "在吗", channel=Channel.CHAT)
    normal = open_ticket(services, "怎么充值")
    with services.db.write() as session:
        session.execute(update(Customer).values(tier="vip"))
    vip = open_ticket(services, "VIP 问题")
    with services.db.read() as session:
        slugs = {}
        for name, ticket_id in (("urgent", urgent), ("chat", chat), ("vip", vip), ("n", normal)):
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None
            policy = match_policy(session, ticket)
            slugs[name] = policy.slug if policy else None
    # The customer is VIP now, so even the earlier normal ticket matches VIP.
    assert slugs == {"urgent": "urgent", "chat": "chat", "vip": "vip", "n": "vip"}


def test_pending_pauses_the_clock_and_the_customer_reply_resumes_it(
    services: Services, worker: Worker
) -> None:
    ticket_id = open_ticket(services, "账户被盗，请冻结", priority_floor="urgent")
    drain(worker)
    resolution_due = as_utc(get_ticket(services, ticket_id).resolution_due_at)

    agent_reply(services, ticket_id, status="pending")
    drain(worker)
    paused = get_ticket(services, ticket_id)
    assert paused.status == "pending"
    assert paused.sla_paused_at is not None
    assert (paused.first_reply_due_at, paused.resolution_due_at) == (None, None)
    assert clock(services, ticket_id, "first_reply").state == "met"
    assert clock(services, ticket_id, "resolution").state == "paused"

    open_ticket(services, "截图已发", ticket_number=paused.number)
    drain(worker)
    resumed = get_ticket(services, ticket_id)
    assert resumed.status == "open" and resumed.sla_paused_at is None
    pending_at, reopened_at = _pending_spell(services, ticket_id)
    paused_for = reopened_at - pending_at  # on the 24/7 calendar, business time is real time
    assert resumed.resolution_due_at == resolution_due + paused_for
    with services.db.read() as session:
        customer_reply = session.scalars(
            select(Message.created_at)
            .where(Message.ticket_id == ticket_id, Message.author_kind == "customer")
            .order_by(Message.id.desc())
        ).first()
    assert customer_reply is not None
    assert resumed.next_reply_due_at == customer_reply + 2 * HOUR


def _pending_spell(services: Services, ticket_id: int) -> tuple[datetime, datetime]:
    with services.db.read() as session:
        rows = session.execute(
            select(Event.created_at, Event.data)
            .where(Event.ticket_id == ticket_id, Event.kind == "ticket.status_changed")
            .order_by(Event.id)
        ).all()
    began = next(at for at, data in rows if data["new"] == "pending")
    ended = next(at for at, data in rows if data["old"] == "pending")
    return began, ended


def test_the_warning_timer_notes_the_ticket_and_tells_agents(
    services: Services, worker: Worker
) -> None:
    ticket_id = open_ticket(services)
    drain(worker)
    [warning] = [
        j
        for j in pending_jobs(services, "sla.timer")
        if j.payload == {**j.payload, "metric": "first_reply", "kind": "warning"}
    ]
    make_due_now(services, warning.id)

    live = with_live_events(services, worker.run_once)

    [recorded] = events(services, ticket_id, "sla.warning")
    assert recorded["metric"] == "first_reply" and recorded["policy"] == "standard"
    assert [e["type"] for e in live] == ["sla.warning"]
    assert live[0]["ticket_id"] == ticket_id
    with services.db.read() as session:
        note = session.scalars(
            select(Message).where(Message.ticket_id == ticket_id, Message.author_kind == "system")
        ).one()
    assert note.visibility == "internal"
    assert "SLA 预警：首次回复已用去目标时间的 80%" in note.body_text
    assert "80% of the first reply target has passed" in note.body_text


def test_a_breach_is_recorded_once_and_escalated_to_the_team_lead(
    services: Services, worker: Worker
) -> None:
    bob = make_agent(services, "Bob", role="lead")
    make_agent(services, "Alice")
    ticket_id = open_ticket(
        services, "提币没到账，急！", category="deposit_withdrawal", priority_floor="urgent"
    )
    backdate(services, ticket_id, 3 * HOUR)  # urgent: 2 hours around the clock

    live = with_live_events(services, lambda: drain(worker))

    [breach] = events(services, ticket_id, "sla.breached")
    assert (breach["metric"], breach["escalated_to"]) == ("first_reply", [bob])
    assert events(services, ticket_id, "sla.escalated") == [
        {"metric": "first_reply", "lead_id": bob}
    ]
    assert events(services, ticket_id, "sla.warning") == []  # past due: no late warning
    assert {(e["type"], e.get("lead_id")) for e in live} == {
        ("sla.breach", None),
        ("sla.escalated", bob),
    }
    with services.db.read() as session:
        note = session.scalars(
            select(Message.body_text).where(Message.author_kind == "system")
        ).one()
    assert "已通知组长：Bob" in note and "Team lead notified: Bob" in note
    assert clock(services, ticket_id, "first_reply").breached

    # A retried timer (the worker died after the commit) changes nothing.
    breach_job = next(
        j
        for j in _all_timers(services)
        if j.payload["kind"] == "breach" and j.payload["metric"] == "first_reply"
    )
    with services.db.write() as session:
        enqueue(session, "sla.timer", breach_job.payload)
    drain(worker)
    assert len(events(services, ticket_id, "sla.breached")) == 1


def _all_timers(services: Services) -> list[OutboxJob]:
    with services.db.read() as session:
        return list(session.scalars(select(OutboxJob).where(OutboxJob.kind == "sla.timer")))


def test_a_timer_for_a_clock_that_was_met_does_nothing(services: Services, worker: Worker) -> None:
    ticket_id = open_ticket(services)
    drain(worker)
    timers = pending_jobs(services, "sla.timer")
    agent_reply(services, ticket_id)
    drain(worker)
    for job in timers:
        make_due_now(services, job.id)
    drain(worker)
    warned = [e["metric"] for e in events(services, ticket_id, "sla.warning")]
    assert "first_reply" not in warned
    assert get_ticket(services, ticket_id).first_reply_due_at is None


def test_raising_the_priority_applies_the_stricter_policy(
    services: Services, worker: Worker
) -> None:
    ticket_id = open_ticket(services)
    drain(worker)
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        change_fields(session, ticket, FieldChanges(priority="urgent"), Actor("agent", None))
    drain(worker)
    ticket = get_ticket(services, ticket_id)
    assert ticket.first_reply_due_at == ticket.created_at + 2 * HOUR
    applied = [e["policy"] for e in events(services, ticket_id, "sla.policy_applied")]
    assert applied == ["standard", "urgent"]


def test_solving_stops_every_clock(services: Services, worker: Worker) -> None:
    ticket_id = open_ticket(services)
    drain(worker)
    agent_reply(services, ticket_id, status="solved")
    drain(worker)
    ticket = get_ticket(services, ticket_id)
    assert (ticket.first_reply_due_at, ticket.next_reply_due_at, ticket.resolution_due_at) == (
        None,
        None,
        None,
    )
    assert clock(services, ticket_id, "resolution").state == "met"


def test_defaults_are_seeded_once_and_admin_edits_are_kept(services: Services) -> None:
    with services.db.write() as session:
        session.execute(
            update(SlaPolicy).where(SlaPolicy.slug == "standard").values(first_reply_minutes=720)
        )
    ensure_default_sla_policies(services)
    with services.db.read() as session:
        standard = session.scalars(select(SlaPolicy).where(SlaPolicy.slug == "standard")).one()
        assert standard.first_reply_minutes == 720
        assert len(session.scalars(select(SlaPolicy)).all()) == 6


def test_the_confirmation_email_promises_the_policy_time_and_hours(
    services: Services, worker: Worker, mail_sink: MailSink
) -> None:
    with services.db.write() as session:
        session.execute(
            update(SlaPolicy).where(SlaPolicy.slug == "standard").values(first_reply_minutes=690)
        )
    ticket_id = open_ticket(services)
    drain(worker)
    [mail] = mail_sink.messages()
    body = plain_text(mail)
    assert "12 个工作小时" in body  # 11.5 hours promised as 12: never promise faster
    assert "北京时间周一至周五 09:00–18:00（法定节假日除外）" in body
    hours, text = expected_first_reply(services, get_ticket(services, ticket_id))
    assert (hours, text) == (12, "北京时间周一至周五 09:00–18:00（法定节假日除外）")
