"""Customer data export and erasure (SQLite and PostgreSQL): everything out, then content
gone while ticket skeletons and the audit log (still a valid hash chain) stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kefu.audit import verify_chain
from kefu.customers.privacy import erase_customer, erased_marker, export_customer, find_customer
from kefu.errors import NotFound
from kefu.ingest.inbound import Channel, Inbound, InboundAttachment, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.services import Services
from kefu.store.models import Attachment, Customer, Event, Message, SatisfactionRating, Ticket
from kefu.tickets.queries import AgentFilter, agent_tickets

UID, EMAIL = "80000001", "wang.privacy@example.com"
PNG = b"\x89PNG\r\n\x1a\n" + b"privacy" * 20


@pytest.fixture
def number(services: Services) -> str:
    """A solved ticket with a screenshot and a rating, from a verified customer."""
    sender = Sender(Trust.VERIFIED, uid=UID, email=EMAIL, name="王小明", language="zh-Hans")
    receipt = ingest(
        services,
        Inbound(
            channel=Channel.API,
            sender=sender,
            subject="USDT 充值未到账",
            body_text="我的 USDT 充值两小时了还没到账，TxID abc123",
            category="deposit_withdrawal",
            attachments=(InboundAttachment("deposit.png", "image/png", PNG),),
        ),
    )
    assert receipt.ticket_number is not None
    with services.db.write() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == receipt.ticket_number)).one()
        ticket.status = "solved"
        session.add(
            SatisfactionRating(
                ticket_id=ticket.id, score=2, comment="太慢了", language="zh-Hans", channel="api"
            )
        )
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None
        customer.anti_phishing_code = "PANDA42"
    return receipt.ticket_number


def test_the_export_holds_profile_tickets_messages_attachments_and_ratings(
    services: Services, number: str
) -> None:
    with services.db.read() as session:
        data = export_customer(session, find_customer(session, EMAIL.upper()))
    assert data["customer"]["uid"] == UID and data["customer"]["name"] == "王小明"
    assert data["customer"]["anti_phishing_code"] == "PANDA42"
    [ticket] = data["tickets"]
    assert ticket["number"] == number and ticket["subject"] == "USDT 充值未到账"
    assert ticket["rating"]["comment"] == "太慢了" and ticket["rating"]["score"] == 2
    first = ticket["messages"][0]
    assert "TxID abc123" in first["body_text"]
    assert first["attachments"][0]["filename"] == "deposit.png"
    assert first["attachments"][0]["size"] == len(PNG)


def test_an_unknown_customer_is_not_found(services: Services) -> None:
    with services.db.read() as session, pytest.raises(NotFound):
        find_customer(session, "nobody@example.com")


def test_erasure_removes_content_and_files_but_keeps_skeletons_and_the_audit_log(
    services: Services, number: str
) -> None:
    with services.db.read() as session:
        stored = session.scalars(select(Attachment)).one()
        path = Path(services.files.root) / stored.storage_key
        events_before = session.scalar(select(Event.id).order_by(Event.id.desc()).limit(1))
    assert path.exists()
    with services.db.write() as session:
        erased = erase_customer(session, services.files, find_customer(session, UID))
    assert (erased.uid, erased.messages, erased.attachments) == (UID, 1, 1)
    assert not path.exists()
    marker = erased_marker()
    with services.db.read() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert (ticket.status, ticket.subject) == ("solved", marker)
        message = session.scalars(select(Message).where(Message.ticket_id == ticket.id)).one()
        assert message.body_text == marker and message.body_html is None
        attachment = session.scalars(select(Attachment)).one()
        assert (attachment.status, attachment.filename) == ("erased", "erased")
        rating = session.get(SatisfactionRating, ticket.id)
        assert rating is not None and rating.comment == "" and rating.score == 2
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None and customer.uid == UID
        assert (customer.email, customer.name, customer.anti_phishing_code) == (None, "", None)
        kinds = session.scalars(select(Event.kind).where(Event.id > (events_before or 0)))
        assert list(kinds) == ["customer.erased"]
        assert session.scalar(select(Event.id).where(Event.id == events_before)) is not None
    with services.db.engine.connect() as connection:
        assert verify_chain(connection).ok


def _found(services: Services, words: str) -> list[str | None]:
    with services.db.read() as session:
        tickets, _ = agent_tickets(session, AgentFilter(text=words))
        return [ticket.number for ticket in tickets]


def test_erased_words_are_no_longer_found_by_agent_search(services: Services, number: str) -> None:
    assert _found(services, "充值两小时") == [number]
    with services.db.write() as session:
        erase_customer(session, services.files, find_customer(session, UID))
    assert _found(services, "充值两小时") == []
    assert _found(services, "abc123") == []
    assert _found(services, number) == [number]  # the skeleton is still there
