"""The widget protocol: ack after commit, exactly once across a blip, resume, heartbeats."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kefu.services import Services
from kefu.store.models import ChatSession, Event, Message, Ticket
from tests.conftest import identity_token


def _count(services: Services, **where: Any) -> int:
    with services.db.read() as session:
        query = select(func.count(Message.id))
        for name, value in where.items():
            query = query.where(getattr(Message, name) == value)
        return int(session.scalar(query) or 0)


def test_a_message_is_acknowledged_only_once_it_is_committed(
    open_widget: Any, chat_services: Services
) -> None:
    widget = open_widget()
    welcome = widget.hello(lang="zh-Hans")
    assert welcome["session"] and welcome["trust"] == "anonymous"
    assert len(welcome["categories"]) == 9
    ack = widget.say("m1", "怎么找到充值的 TxID？", category="deposit_withdrawal")
    assert ack["type"] == "ack" and ack["client_id"] == "m1"
    with chat_services.db.read() as session:
        message = session.get(Message, ack["seq"])
        assert message is not None and message.author_kind == "customer"
        ticket = session.get(Ticket, message.ticket_id)
        assert ticket is not None and ticket.channel == "chat" and ticket.number == ack["ticket"]


def test_a_message_resent_after_a_dropped_socket_arrives_exactly_once(
    open_widget: Any, chat_services: Services
) -> None:
    first = open_widget()
    session_token = first.hello()["session"]
    # The network drops after sending, before the ack is read.
    first.send({"type": "message", "client_id": "blip-1", "text": "提现一直没到账"})
    first.ws.close()
    again = open_widget()
    again.hello(session=session_token)
    ack = again.say("blip-1", "提现一直没到账")
    assert ack["type"] == "ack"
    assert _count(chat_services, author_kind="customer") == 1
    assert _count(chat_services, external_id=f"bot:{ack['seq']}") == 1  # the bot answered once


def test_the_bots_answer_is_stored_as_it_was_sent_and_audited(
    open_widget: Any, chat_services: Services
) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    ack = widget.say("q1", "充值的USDT一直没到账", category="deposit_withdrawal")
    reply = widget.bot_reply()
    with chat_services.db.read() as session:
        [bot] = session.scalars(select(Message).where(Message.author_kind == "bot")).all()
        events = session.scalars(
            select(Event.actor_kind).where(
                Event.kind == "ticket.replied", Event.ticket_id == bot.ticket_id
            )
        ).all()
    assert (bot.visibility, bot.channel, bot.trust) == ("public", "chat", "verified")
    assert bot.external_id == f"bot:{ack['seq']}"  # marks the customer's message answered
    assert bot.meta["quick_replies"] and bot.meta["articles"]  # "Did this solve it?" + link
    assert events == ["bot"]
    assert (reply["seq"], reply["text"]) == (bot.id, bot.body_text)  # what the widget got
    assert reply["quick_replies"] == bot.meta["quick_replies"]


def test_a_reconnect_resumes_after_the_last_acknowledged_sequence(
    open_widget: Any, chat_services: Services
) -> None:
    widget = open_widget()
    token = widget.hello(lang="en")["session"]
    ack = widget.say("r1", "How do I find the TxID of my deposit?")
    answer = widget.bot_reply()
    assert "TxID" in answer["text"] or answer["articles"]
    widget.ws.close()

    resumed = open_widget()
    welcome = resumed.hello(session=token, last_seq=ack["seq"])
    assert welcome["ticket"] == ack["ticket"]
    replayed = resumed.until("message")
    assert replayed["seq"] == answer["seq"]  # only what came after the customer's message

    fresh = open_widget()
    fresh.hello(session=token, last_seq=0)
    assert fresh.until("message")["seq"] == ack["seq"]


def test_another_tab_sees_the_message_and_the_sending_tab_gets_only_its_ack(
    open_widget: Any,
) -> None:
    sender = open_widget()
    token = sender.hello(lang="en")["session"]
    other_tab = open_widget()
    other_tab.hello(session=token, lang="en")
    ack = sender.say("tab-1", "How do I find the TxID of my deposit?")
    assert "text" not in ack  # nothing was hidden: the widget keeps what it showed
    sender.bot_reply()
    echoed = other_tab.until("message", where=lambda e: e["author"] == "customer")
    assert echoed["seq"] == ack["seq"]
    other_tab.bot_reply()
    own = [e for e in sender.seen if e["type"] == "message" and e["author"] == "customer"]
    assert own == []  # the ack stood for the echo


def test_heartbeats_are_answered(open_widget: Any) -> None:
    widget = open_widget()
    widget.hello()
    widget.send({"type": "ping"})
    assert widget.until("pong")["type"] == "pong"


def test_oversized_empty_and_flooding_messages_get_clear_errors(open_widget: Any) -> None:
    widget = open_widget()
    widget.hello(lang="en")
    too_long = widget.say("big", "x" * 2001)
    assert too_long["type"] == "error" and too_long["code"] == "too_large"
    assert "2000" in too_long["message"]
    assert widget.say("empty", "   ")["code"] == "empty_message"
    codes = []
    for i in range(12):
        widget.send({"type": "message", "client_id": f"f{i}", "text": f"hi {i}"})
    for _ in range(12):
        codes.append(widget.until("ack", "error").get("code", "ok"))
    assert "rate_limited" in codes


def test_a_session_token_is_never_resumed_by_another_identity(
    open_widget: Any, chat_services: Services
) -> None:
    wang = open_widget()
    token = wang.hello(token=identity_token("20000001", "wang@example.com"))["session"]
    wang.say("w1", "我的订单没有成交")
    thief = open_widget()
    welcome = thief.hello(session=token)  # no identity token: a guest
    assert welcome["session"] != token and welcome["ticket"] is None
    with chat_services.db.read() as session:
        assert session.scalar(select(func.count(ChatSession.id))) == 1


def test_a_forged_token_makes_the_chat_anonymous_and_says_so(open_widget: Any) -> None:
    widget = open_widget()
    welcome = widget.hello(token="not.a.token", lang="en")
    assert welcome["trust"] == "anonymous"
    assert "guest" in welcome["notice"]


def test_the_websocket_checks_the_origin(open_widget: Any, chat_client: Any) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with (
        pytest.raises(WebSocketDisconnect) as refused,
        chat_client.websocket_connect("/ws/chat", headers={"origin": "https://evil.example"}),
    ):
        pass
    assert refused.value.code == 4403
    allowed = open_widget({"origin": "http://127.0.0.1:8000"})  # public_base_url's origin
    assert allowed.hello()["type"] == "welcome"
