"""The ingest pipeline, on a real database."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from kefu.errors import NotFound
from kefu.ingest import pipeline
from kefu.ingest.draft import Draft
from kefu.ingest.inbound import Channel, InboundAttachment, Trust
from kefu.ingest.pipeline import BEFORE_TRANSACTION, STEPS, ingest
from kefu.ingest.steps.triage import EMERGENCY_WORDS, is_emergency
from kefu.services import Services
from kefu.store import search_terms
from kefu.store.models import Attachment, Customer, Event, Message, OutboxJob, Ticket
from kefu.tickets.queries import AgentFilter, agent_tickets
from kefu.tickets.status import Status
from tests.support import inbound


def count(services: Services, model: type) -> int:
    with services.db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_steps_run_in_the_documented_order() -> None:
    before = [step.__name__ for step in BEFORE_TRANSACTION]
    assert before == ["shield", "classify"]  # the message alone, no database
    names = [step.__name__ for step in STEPS]
    assert names == ["dedupe", "identify", "thread", "triage", "persist"]


def test_a_new_message_opens_a_ticket_with_message_event_and_outbox_job(services: Services) -> None:
    receipt = ingest(
        services, inbound("我的 USDT 充值两小时了还没到账", category="deposit_withdrawal")
    )

    assert receipt.created_ticket
    assert receipt.ticket_number == f"KF-{100000 + receipt.ticket_id}"
    with services.db.read() as session:
        ticket = session.get(Ticket, receipt.ticket_id)
        assert ticket is not None
        assert (ticket.status, ticket.category, ticket.language) == (
            "new",
            "deposit_withdrawal",
            "zh-Hans",
        )
        kinds = session.scalars(select(Event.kind).where(Event.ticket_id == ticket.id)).all()
        assert kinds == ["ticket.created"]
        jobs = session.scalars(select(OutboxJob.kind)).all()
        assert jobs == ["email.ticket_confirmation", "workflow.ticket_created"]


def test_a_retried_delivery_is_stored_once(services: Services) -> None:
    first = ingest(services, inbound("hello", external_id="msg-1"))
    second = ingest(services, inbound("hello", external_id="msg-1"))

    assert second.replayed and not first.replayed
    assert (second.ticket_number, second.message_id) == (first.ticket_number, first.message_id)
    assert count(services, Message) == 1
    assert count(services, Ticket) == 1


def test_search_terms_prepared_in_another_process_are_not_computed_again_under_the_lock(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk import prepares messages in reader processes: the draft carries their terms
    to the writer, whose own memory of terms is empty (as here, after clearing it)."""
    draft = pipeline.prepare(services, inbound("合约被强平了，请帮忙看一下", subject="强平问题"))
    assert dict(draft.search_terms)["合约被强平了，请帮忙看一下"].startswith("合约 约被 被强 强平")

    def computed_again(text: str | None) -> str:
        raise AssertionError(f"terms computed under the write lock: {text!r}")

    with monkeypatch.context() as patched:
        patched.setattr(search_terms, "_REMEMBERED", {})
        patched.setattr(search_terms, "message_terms", computed_again)
        with services.db.write() as session:
            receipt = pipeline.ingest_in(session, services, draft)
    with services.db.read() as session:
        found, _ = agent_tickets(session, AgentFilter(text="爆仓"))  # 强平's synonym
    assert [t.number for t in found] == [receipt.ticket_number]


def test_the_same_external_id_on_another_channel_is_another_message(services: Services) -> None:
    ingest(services, inbound("hello", external_id="42"))
    ingest(services, inbound("hello", external_id="42", channel=Channel.TELEGRAM))
    assert count(services, Message) == 2


def test_secrets_are_redacted_before_anything_is_stored(services: Services) -> None:
    receipt = ingest(services, inbound("我的密码是 Hunter2-secret!! 验证码 493021 帮我看看"))

    with services.db.engine.connect() as conn:
        dump = "\n".join(
            str(row)
            for t in ("messages", "tickets", "events", "outbox")
            for row in conn.execute(text(f"SELECT * FROM {t}"))
        )
    assert "Hunter2-secret!!" not in dump
    assert "493021" not in dump
    assert "[已隐藏:密码]" in dump
    assert {f.kind for f in receipt.redactions} == {"password", "verification_code"}
    with services.db.read() as session:
        jobs = session.scalars(select(OutboxJob.kind)).all()
    assert "customer.secret_warning" in jobs


def test_a_failure_in_persist_leaves_nothing_behind(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    def persist_then_crash(session: Session, services: Services, draft: Draft) -> None:
        STEPS[-1](session, services, draft)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "STEPS", (*STEPS[:-1], persist_then_crash))
    with pytest.raises(RuntimeError):
        ingest(services, inbound("hello", external_id="crash-1"))

    assert count(services, Ticket) == 0
    assert count(services, Message) == 0
    assert count(services, OutboxJob) == 0
    monkeypatch.setattr(pipeline, "STEPS", STEPS)
    # The channel retries after the crash: the message is stored exactly once.
    ingest(services, inbound("hello", external_id="crash-1"))
    ingest(services, inbound("hello", external_id="crash-1"))
    assert count(services, Message) == 1


def test_a_reply_naming_the_ticket_continues_it_and_reopens_it(services: Services) -> None:
    first = ingest(services, inbound("first"))
    with services.db.write() as session:
        ticket = session.get(Ticket, first.ticket_id)
        assert ticket is not None
        ticket.status = Status.PENDING.value

    reply = ingest(services, inbound("more details", ticket_number=first.ticket_number))

    assert not reply.created_ticket
    assert reply.ticket_id == first.ticket_id
    with services.db.read() as session:
        ticket = session.get(Ticket, first.ticket_id)
        assert ticket is not None and ticket.status == "open"


def test_nobody_can_write_into_someone_elses_ticket(services: Services) -> None:
    wangs = ingest(services, inbound("mine"))
    with pytest.raises(NotFound):
        ingest(
            services,
            inbound(
                "sneaky",
                uid="30000009",
                email_address="eve@example.com",
                ticket_number=wangs.ticket_number,
            ),
        )
    assert count(services, Message) == 1


def test_a_message_after_a_ticket_is_closed_opens_a_follow_up(services: Services) -> None:
    first = ingest(services, inbound("first"))
    with services.db.write() as session:
        ticket = session.get(Ticket, first.ticket_id)
        assert ticket is not None
        ticket.status = Status.CLOSED.value

    follow = ingest(services, inbound("it happened again", ticket_number=first.ticket_number))

    assert follow.created_ticket and follow.ticket_id != first.ticket_id
    with services.db.read() as session:
        ticket = session.get(Ticket, follow.ticket_id)
        assert ticket is not None and "follow_up" in ticket.tags


@pytest.mark.parametrize(
    ("subject", "body", "priority"),
    [
        ("[紧急] 提币问题", "请尽快处理", "high"),
        ("URGENT: withdrawal stuck", "please help", "high"),
        ("账户被盗", "有一笔不是我本人操作的提币", "urgent"),
        ("Question about fees", "What are the maker fees?", "normal"),
    ],
)
def test_triage_raises_priority_for_urgent_and_emergency_messages(
    services: Services, subject: str, body: str, priority: str
) -> None:
    receipt = ingest(services, inbound(body, subject=subject))
    with services.db.read() as session:
        ticket = session.get(Ticket, receipt.ticket_id)
        assert ticket is not None and ticket.priority == priority


EMERGENCIES = (
    "账户被盗了", "被人盗号", "账号被黑", "资产丢失", "有未经授权的提现", "不是我本人操作",
    "请冻结我的账户", "My account was HACKED", "funds Stolen", "account compromised",
    "an unauthorised withdrawal", "Unauthorized login", "I didn't make this trade",
    "I did not authorise it", "i did n't authorize that", "please FREEZE MY ACCOUNT",
)  # fmt: skip


def test_the_emergency_pre_check_never_hides_an_emergency() -> None:
    """Every alternative of the emergency pattern holds one of the needles; the regex
    decides (so "did" alone is no emergency)."""
    for said in EMERGENCIES:
        assert EMERGENCY_WORDS.search(said), said
        assert is_emergency(said), said
    for said in ("I did deposit yesterday", "充值没到账", "stolen-looking chart? no"):
        assert is_emergency(said) == bool(EMERGENCY_WORDS.search(said)), said


def test_a_ticket_that_repeats_an_open_one_is_caught(services: Services) -> None:
    first = ingest(
        services, inbound("TxID abc", subject="USDT 充值未到账", category="deposit_withdrawal")
    )
    second = ingest(
        services, inbound("还是没到", subject="USDT充值还未到账", category="deposit_withdrawal")
    )
    other = ingest(services, inbound("想问手续费", subject="现货手续费是多少", category="trading"))

    assert second.possible_duplicate_of == first.ticket_number
    assert other.possible_duplicate_of is None


def test_identify_never_gives_an_unverified_sender_an_exchange_uid(services: Services) -> None:
    ingest(
        services,
        inbound("hi", uid="99999999", email_address="claimer@example.com", trust=Trust.CLAIMED),
    )
    with services.db.read() as session:
        customer = session.scalars(select(Customer)).one()
    assert customer.uid is None
    assert customer.verification == "claimed"


def test_attachments_are_stored_with_their_checked_type(services: Services) -> None:
    image = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, format="PNG")
    png = image.getvalue()
    receipt = ingest(
        services,
        inbound("see screenshot", attachments=(InboundAttachment("shot.png", "image/png", png),)),
    )
    with services.db.read() as session:
        attachment = session.scalars(select(Attachment)).one()
    assert attachment.message_id == receipt.message_id
    assert attachment.status == "ok"
    assert services.files.load(attachment.storage_key)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_nested_sqlite_write_fails_loudly_instead_of_waiting_for_itself(
    services: Services,
) -> None:
    with (
        services.db.write(),
        pytest.raises(RuntimeError, match="nested write"),
        services.db.write(),
    ):
        pass
    with services.db.write() as session:  # the flag is cleared afterwards
        session.execute(text("SELECT 1"))
