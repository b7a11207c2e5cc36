"""The bot reads a message before the write transaction; what it read must never be stale."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select

from kefu.audit import Actor
from kefu.bot import answer_or_handoff
from kefu.channels.chat.bot_turn import ChatView, bot_turn, think
from kefu.kb.articles import article_data, save_article
from kefu.kb.search import invalidate_index
from kefu.services import Services
from kefu.store.models import Article, ChatSession, Ticket
from kefu.tickets.status import Status


def test_a_reading_made_before_the_conversation_moved_is_made_again(
    open_widget: Any, chat_services: Services
) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    ack = widget.say("m1", "怎么找到充值的 TxID？")
    widget.bot_reply()  # an answer, then "Did this solve it?": the chat awaits feedback
    # Read as if the bot were not waiting for feedback (another tab's message came first).
    stale = think(chat_services, ChatView("zh-Hans", "deposit_withdrawal"), "已解决")
    assert stale.decision is not None and stale.verdict is None
    with chat_services.db.write() as session:
        chat = session.scalars(select(ChatSession)).one()
        ticket = session.scalars(select(Ticket).where(Ticket.number == ack["ticket"])).one()
        assert chat.awaiting == "feedback"
        said = bot_turn(session, chat_services, chat, ticket, "已解决", stale)
        assert ticket.status == Status.SOLVED  # read again: the customer said it helped
        assert chat.awaiting is None and len(said) == 1


def test_the_bot_stops_citing_an_article_once_it_is_unpublished(chat_services: Services) -> None:
    text = "How do I find the TxID of my deposit?"
    first = answer_or_handoff(chat_services, text, "en").articles[0]
    assert answer_or_handoff(chat_services, text, "en").articles[0] == first  # remembered
    with chat_services.db.write() as session:
        article = session.scalars(select(Article).where(Article.id == first.id)).one()
        data = replace(article_data(session, article), status="draft")
        assert save_article(session, data, Actor.system())
    invalidate_index(chat_services)
    shown = answer_or_handoff(chat_services, text, "en").articles
    assert first.id not in {a.id for a in shown}
