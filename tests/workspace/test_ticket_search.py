"""Inbox search over subjects and messages with the help center's folding, stemming and
synonyms, on SQLite and PostgreSQL (store/search_terms.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from kefu.audit import Actor
from kefu.services import Services
from kefu.store.models import Message, Ticket
from kefu.store.search_terms import message_terms, query_parts
from kefu.tickets.actions import add_agent_message, add_bot_message
from kefu.tickets.queries import AgentFilter, agent_tickets
from tests.web.test_customer_api import create

Search = Callable[[str], list[str]]


@pytest.fixture
def found(services: Services) -> Search:
    """Numbers of the tickets a search finds, in inbox order."""

    def search(query: str) -> list[str]:
        with services.db.read() as session:
            tickets, _ = agent_tickets(session, AgentFilter(text=query, open_only=False))
            return sorted(str(t.number) for t in tickets)

    return search


def opened(client: TestClient, wang: dict[str, str], subject: str, description: str) -> str:
    return str(create(client, wang, subject=subject, description=description)["number"])


def test_traditional_and_full_width_find_simplified_and_back(
    client: TestClient, wang: dict[str, str], found: Search
) -> None:
    simplified = opened(client, wang, "账户问题", "我的账户被冻结了，USDT 无法提币")
    traditional = opened(client, wang, "帳號問題", "帳戶登錄不了，請幫忙")
    opened(client, wang, "其他", "限价单没有成交")

    assert found("帳戶被凍結") == [simplified]
    assert found("ＵＳＤＴ") == [simplified]
    assert found("账户登录") == [traditional]


def test_a_synonym_finds_every_member_of_its_group_in_both_languages(
    client: TestClient, wang: dict[str, str], found: Search
) -> None:
    tixian = opened(client, wang, "提现问题", "昨天提现到现在还没到")
    tibi = opened(client, wang, "提币问题", "提币一直在审核")
    english = opened(client, wang, "Question", "My withdrawal has been stuck for two days")
    opened(client, wang, "充值问题", "充值没到账")

    everyone = sorted([tixian, tibi, english])
    assert found("提现") == everyone
    assert found("提币") == everyone
    assert found("withdraw") == everyone
    assert found("Withdrawals") == everyone


def test_english_words_are_found_by_their_stem(
    client: TestClient, wang: dict[str, str], found: Search
) -> None:
    ticket = opened(client, wang, "API", "Orders were rejected: invalid signatures on requests")

    assert found("order") == [ticket]
    assert found("requesting") == [ticket]
    assert found("invalidated") == [ticket]  # invalid
    assert found("ordinary") == []  # another stem


def test_a_mixed_query_needs_both_parts_in_one_text(
    client: TestClient, wang: dict[str, str], found: Search
) -> None:
    usdt = opened(client, wang, "充币", "USDT充值 TRC20 一直没到")
    deposit = opened(client, wang, "Deposit", "USDT deposit on TRC20 missing")
    opened(client, wang, "充币", "BTC 充值 没到")
    opened(client, wang, "USDT", "USDT 提币 审核")

    assert found("USDT充值") == sorted([usdt, deposit])
    assert found("usdt 充币") == sorted([usdt, deposit])


def test_the_synonym_expansion_adds_no_strangers(
    client: TestClient, wang: dict[str, str], found: Search
) -> None:
    login = opened(client, wang, "Login", "I cannot sign in since yesterday")
    signature = opened(client, wang, "API", "The signature of my request is wrong")
    notice = opened(client, wang, "提示", "页面提示错误")
    fee = opened(client, wang, "大额提现", "大额提现需要报备吗")

    assert found("sign in") == [login]  # a login, not a signature
    # "sign" alone is a member of the signature group, wherever it stands
    assert found("签名") == sorted([login, signature])
    assert found("提示") == [notice]  # 提 is no withdrawal
    assert found("提现") == [fee]
    assert found("大额提币") == [fee]  # the longest member wins: "large withdrawal"
    assert found("没到账") == []
    assert found("我要提现") == []  # the rest of the query must still be there


def test_a_ticket_number_and_punctuation_still_work(
    client: TestClient, wang: dict[str, str], found: Search
) -> None:
    ticket = opened(client, wang, "订单 #42?!", "问题")

    assert found(ticket) == [ticket]
    assert found("?!") == [ticket]  # no term: the subject's text


def test_edited_and_merged_text_is_searchable_at_once(
    client: TestClient, wang: dict[str, str], services: Services, found: Search
) -> None:
    ticket = opened(client, wang, "问题", "我的助记词泄露了")
    with services.db.write() as session:
        message = session.scalars(select(Message).where(Message.body_text.like("%助记词%"))).one()
        message.body_text = "[erased] withdrawal"

    assert found("助记词") == []
    assert found("提现") == [ticket]


def test_the_bots_turns_are_not_searched_and_everyone_elses_are(
    client: TestClient, wang: dict[str, str], services: Services, found: Search
) -> None:
    """A bot turn quotes a help-center article: searched, it would match every chat the bot
    answered on that topic. It stays in the timeline; it is not searched (even once edited,
    as erasure edits it)."""
    number = opened(client, wang, "订单问题", "限价单没有成交")
    with services.db.write() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        said = add_bot_message(session, ticket, "请查看：如何查询充值的 TxID（交易哈希）")
    assert found("TxID") == []
    with services.db.write() as session:
        session.execute(
            update(Message).where(Message.id == said.id).values(body_text="[erased] TxID")
        )
    assert found("TxID") == []
    with services.db.write() as session:
        ticket = session.scalars(select(Ticket).where(Ticket.number == number)).one()
        add_agent_message(session, ticket, Actor.system(), "请提供充值的 TxID", internal=False)
    assert found("TxID") == [number]
    with services.db.read() as session:
        bot_turns = session.scalars(select(Message).where(Message.author_kind == "bot")).all()
    assert [m.body_text for m in bot_turns] == ["[erased] TxID"]  # kept, only not searched


def test_stored_terms_are_folded_and_stemmed_on_both_databases(
    client: TestClient, wang: dict[str, str], services: Services
) -> None:
    opened(client, wang, "帳戶", "Withdrawals 提現")
    sqlite = services.db.engine.dialect.name == "sqlite"
    holding = (
        "SELECT count(*) FROM {table} WHERE {table} MATCH :term"
        if sqlite
        else "SELECT count(*) FROM {table} WHERE terms @@ to_tsquery('simple', :term)"
    )
    with services.db.read() as session:

        def rows_holding(table: str, term: str) -> int:
            return session.scalar(text(holding.format(table=table)), {"term": term}) or 0

        assert rows_holding("subject_terms", "账户") == 1
        assert rows_holding("message_terms", "withdraw") == 1
        assert rows_holding("message_terms", "提现") == 1
        assert rows_holding("message_terms", "withdrawals") == 0
        if not sqlite:  # every row written by this commit got its terms in it
            stale = "SELECT count(*) FROM message_terms WHERE terms IS NULL"
            assert session.scalar(text(stale)) == 0
    assert message_terms("Withdrawals 提現") == "withdraw 提现"


def test_a_query_becomes_phrases_and_groups() -> None:
    assert query_parts("USDT充值")[0] == (("usdt",),)
    assert ("deposit",) in query_parts("USDT充值")[1]
    assert ("top", "up") in query_parts("USDT充值")[1]
    assert query_parts("我要提现")[0] == (("我要",),)  # the pair 要提 straddles the member
    assert query_parts("?!") == []
