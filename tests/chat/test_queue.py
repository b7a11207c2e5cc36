"""Handoff to the queue: honest positions, security first, accepting within capacity,
the agent's reply reaching the customer live, anonymous visitors kept from account data."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.services import Services
from kefu.store.models import AgentAvailability, ChatSession, Message, Ticket
from tests.chat.conftest import agent_console
from tests.conftest import identity_token


def _queue_after_handoff(widget: Any, client_id: str, text: str) -> dict[str, Any]:
    widget.say(client_id, text)
    event: dict[str, Any] = widget.until("queue")
    return event


def test_handoff_words_queue_the_chat_with_honest_positions(
    open_widget: Any, chat_services: Services
) -> None:
    first, second = open_widget(), open_widget()
    first.hello(lang="zh-Hans")
    second.hello(lang="en")
    assert _queue_after_handoff(first, "a", "转人工")["position"] == 1
    assert _queue_after_handoff(second, "b", "I want to talk to a human")["position"] == 2
    with chat_services.db.read() as session:
        chats = list(session.scalars(select(ChatSession).order_by(ChatSession.id)))
        assert [c.state for c in chats] == ["queued", "queued"]
        assert [c.handoff_reason for c in chats] == ["customer_asked", "customer_asked"]
        notes = session.scalars(select(Message).where(Message.visibility == "internal")).all()
        assert len(notes) == 2  # the agents' briefing


def test_a_stolen_account_goes_to_security_as_urgent(
    open_widget: Any, chat_services: Services
) -> None:
    widget = open_widget()
    widget.hello(token=identity_token("20000001", "wang@example.com"))
    widget.say("s", "我的账户被盗了，资产丢失")
    reply = widget.bot_reply()
    assert "安全" in reply["text"]
    with chat_services.db.read() as session:
        chat = session.scalars(select(ChatSession)).one()
        ticket = session.get(Ticket, chat.ticket_id)
        assert ticket is not None
        assert (chat.team_slug, ticket.priority, ticket.category) == (
            "security",
            "urgent",
            "security",
        )


def test_an_agent_accepts_within_capacity_and_the_customer_sees_the_reply(
    open_widget: Any, chat_services: Services, chat_client: TestClient, alice_cookie: str
) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    ticket = _queue_after_handoff(widget, "h", "转人工") and widget.seen
    number = next(e["ticket"] for e in widget.seen if e["type"] == "ack")
    with agent_console(chat_client, alice_cookie) as console:
        state = console.receive_json()
        assert state["type"] == "console"
        console.send_json({"type": "presence", "presence": "online"})
        state = _until(console, "console")
        assert [row["ticket"] for row in state["queue"]] == [number]
        console.send_json({"type": "accept", "ticket": number})
        opened = _until(console, "chat")
        assert opened["state"] == "active"
        assert any(m["author"] == "bot" and m["internal"] for m in opened["messages"])
        assert opened["customer"]["uid"] is None  # a guest: nothing of an account
        assert "已接入" in widget.until("message", where=lambda e: e["author"] == "system")["text"]
        console.send_json({"type": "typing", "ticket": number, "on": True})
        assert widget.until("typing")["on"] is True
        console.send_json({"type": "reply", "ticket": number, "text": "您好，我是 Alice"})
        reply = widget.until("message", where=lambda e: e["author"] == "agent")
        assert reply["text"] == "您好，我是 Alice" and reply["name"] == "Alice"
        widget.say("c2", "谢谢")
        seen = _until(console, "message", where=lambda e: e["author"] == "customer")
        console.send_json({"type": "read", "ticket": number, "seq": seen["seq"]})
        assert widget.until("read")["seq"] == seen["seq"]
        console.send_json({"type": "end", "ticket": number})
        assert widget.until("state")["state"] == "ended"
    assert ticket
    with chat_services.db.read() as session:
        row = session.scalars(select(Ticket)).one()
        assert row.status == "solved" and row.assignee_id is not None


def test_an_agent_at_capacity_cannot_accept_another_chat(
    open_widget: Any, chat_services: Services, chat_client: TestClient, alice_cookie: str
) -> None:
    numbers = []
    for i in range(2):
        widget = open_widget()
        widget.hello()
        numbers.append(widget.say(f"x{i}", "转人工")["ticket"])
    with chat_services.db.write() as session:
        session.add(
            AgentAvailability(
                agent_id=1, presence="online", max_chats=1, max_tickets=5, categories=[]
            )
        )
    with agent_console(chat_client, alice_cookie) as console:
        console.receive_json()
        console.send_json({"type": "accept", "ticket": numbers[0]})
        _until(console, "chat")
        console.send_json({"type": "accept", "ticket": numbers[1]})
        error = _until(console, "error")
        assert error["code"] == "at_capacity"


def test_the_agent_console_refuses_other_origins_and_strangers(
    chat_client: TestClient, alice_cookie: str
) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    chat_client.cookies.set("kefu_agent", alice_cookie)
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        chat_client.websocket_connect("/ws/agent-chat", headers={"origin": "https://evil.example"}),
    ):
        pass
    assert refused.value.code == 4403
    chat_client.cookies.clear()
    with (
        pytest.raises(WebSocketDisconnect) as anonymous,
        chat_client.websocket_connect("/ws/agent-chat", headers={"origin": "http://testserver"}),
    ):
        pass
    assert anonymous.value.code == 4401


def test_a_guest_is_never_tied_to_an_account(open_widget: Any, chat_services: Services) -> None:
    widget = open_widget()
    widget.hello(lang="en")
    widget.say("g1", "What is my account balance? My UID is 20000001")
    widget.say("g2", "and my KYC level?")
    with chat_services.db.read() as session:
        tickets = session.scalars(select(Ticket)).all()
        assert len(tickets) == 1  # both messages in one conversation
        messages = session.scalars(select(Message).where(Message.author_kind == "customer")).all()
        assert {m.trust for m in messages} == {"anonymous"}
        from kefu.store.models import Customer

        customer = session.get(Customer, tickets[0].customer_id)
        assert customer is not None and customer.uid is None


def test_a_transcript_is_emailed_with_the_anti_phishing_line(
    open_widget: Any, chat_services: Services, worker: Any, mail_sink: Any
) -> None:
    from tests.support import plain_text

    widget = open_widget()
    widget.hello(token=identity_token("20000001", "wang@example.com", "王伟"), lang="zh-Hans")
    widget.say("t1", "怎么找到充值的 TxID？")
    widget.bot_reply()
    widget.send({"type": "transcript"})
    widget.until("notice")
    worker.run_once()
    [mail] = mail_sink.messages()
    body = plain_text(mail)
    assert mail["To"].addresses[0].addr_spec == "wang@example.com"
    assert "防钓鱼码" in body and "怎么找到充值的 TxID" in body


def _until(ws: Any, kind: str, where: Any = None) -> dict[str, Any]:
    for _ in range(100):
        event: dict[str, Any] = ws.receive_json()
        if event["type"] == kind and (where is None or where(event)):
            return event
    raise AssertionError(kind)
