"""Masking also covers the other places agents see customer fields: the email sender line
in the timeline, macro previews and the chat console's customer card."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.agents import principal_for_session
from kefu.channels.chat.console import open_chat
from kefu.ingest.inbound import Channel, Inbound, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.insider.reveals import reveal_field
from kefu.services import Services
from kefu.store.models import ChatSession, Macro, Ticket
from tests.insider.people import ZHANG, act_as, new_agent, ticket_for

UID, EMAIL, NAME = ZHANG


def test_the_email_sender_line_and_macro_previews_are_masked(
    client: TestClient, services: Services
) -> None:
    sender = Sender(trust=Trust.VERIFIED, uid=UID, email=EMAIL, name=NAME)
    mail = Inbound(
        channel=Channel.EMAIL,
        sender=sender,
        subject="提现问题",
        body_text="请帮我查一下提现",
        metadata={"email_from": f"{NAME} <{EMAIL}>"},
    )
    number = ingest(services, mail).ticket_number
    with services.db.write() as session:
        session.add(Macro(name="hi", body_zh="{customer_name}您好", body_en="Hi {customer_name}"))
    act_as(client, new_agent(services, "ann", "agent"))
    page = client.get(f"/agent/tickets/{number}").text
    assert "email_from=" in page and "z***@example.com" in page
    assert EMAIL not in page and NAME not in page  # neither in the line nor in the preview
    assert 'title="张*您好"' in page


def test_the_chat_console_card_masks_the_name_until_revealed(services: Services) -> None:
    number = ticket_for(services, *ZHANG)
    token = new_agent(services, "ann", "agent")
    with services.db.write() as session:
        ticket_id = session.scalars(select(Ticket.id)).one()
        session.add(ChatSession(visitor_key="v-insider", ticket_id=ticket_id, customer_uid=UID))
        agent = principal_for_session(session, token)
    assert agent is not None
    assert open_chat(services, agent, number)["customer"]["name"] == "张*"
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        reveal_field(session, agent, ticket.customer_id, "name", "greeting them in chat", minutes=5)
    assert open_chat(services, agent, number)["customer"]["name"] == NAME
