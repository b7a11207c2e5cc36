"""Durable jobs: confirmation email over real SMTP, retries with backoff, dead letters."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from kefu.ingest.pipeline import ingest
from kefu.jobs.outbox import enqueue
from kefu.jobs.worker import MAX_ATTEMPTS, Worker
from kefu.services import Services
from kefu.store.models import OutboxJob
from kefu.store.models.base import utcnow
from tests.support import MailSink, free_port, inbound, plain_text


def jobs(services: Services, kind_prefix: str = "") -> list[OutboxJob]:
    with services.db.read() as session:
        return list(
            session.scalars(
                select(OutboxJob)
                .where(OutboxJob.kind.startswith(kind_prefix))
                .order_by(OutboxJob.id)
            )
        )


def test_a_new_ticket_sends_a_confirmation_with_number_category_and_reply_time(
    services: Services, worker: Worker, mail_sink: MailSink
) -> None:
    receipt = ingest(services, inbound("充值没到账", category="deposit_withdrawal"))
    assert worker.run_once() == 2  # the confirmation, and the ticket's workflow (SLA, assignment)

    [mail] = mail_sink.messages()
    body = plain_text(mail)
    assert receipt.ticket_number in mail["Subject"]
    assert "充值与提现" in body
    assert "24 个工作小时" in body
    assert "防钓鱼码" in body.splitlines()[0]  # fixed place: the first line
    assert [j.status for j in jobs(services)] == ["done", "done"]


def test_the_anti_phishing_code_is_in_every_email(
    services: Services, worker: Worker, mail_sink: MailSink
) -> None:
    from kefu.store.models import Customer

    ingest(services, inbound("first", subject="Deposit missing", external_id="a"))
    with services.db.write() as session:
        session.execute(update(Customer).values(anti_phishing_code="BlueFox42", language="en"))
    ingest(services, inbound("second", subject="Withdrawal question", external_id="b"))
    worker.run_once()
    lines = [plain_text(m).splitlines()[0] for m in mail_sink.messages()]
    assert (
        lines.count("您的防钓鱼码：BlueFox42") + lines.count("Your anti-phishing code: BlueFox42")
        == 2
    )


def test_a_failed_send_is_retried_later_with_backoff(services: Services, worker: Worker) -> None:
    dead_port = free_port()
    object.__setattr__(services.settings, "smtp_url", f"smtp://127.0.0.1:{dead_port}")
    ingest(services, inbound("hello"))

    worker.run_once()

    [job] = jobs(services, "email.")
    assert (job.status, job.attempts) == ("pending", 1)
    assert job.last_error and "SMTP unavailable" in job.last_error
    assert job.run_after > utcnow() + timedelta(seconds=5)
    assert worker.run_once() == 0  # not due yet


def test_a_job_that_keeps_failing_is_dead_lettered(services: Services, worker: Worker) -> None:
    with services.db.write() as session:
        enqueue(session, "no.such.kind", {})
    worker.run_once()
    assert jobs(services)[0].status == "dead"

    with services.db.write() as session:
        enqueue(session, "email.ticket_confirmation", {"ticket_id": 1})
        session.flush()
    object.__setattr__(services.settings, "smtp_url", f"smtp://127.0.0.1:{free_port()}")
    ingest(services, inbound("x"))
    for _ in range(MAX_ATTEMPTS):
        with services.db.write() as session:
            session.execute(
                update(OutboxJob)
                .where(OutboxJob.status == "pending")
                .values(run_after=utcnow() - timedelta(seconds=1))
            )
        worker.run_once()
    assert {j.status for j in jobs(services, "email.")} == {"dead"}


def test_a_claimed_job_is_not_claimed_twice(services: Services) -> None:
    with services.db.write() as session:
        enqueue(session, "noop", {})
    first, second = Worker(services, {}), Worker(services, {}, name="other")
    assert first.claim_next_job() is not None
    assert second.claim_next_job() is None
