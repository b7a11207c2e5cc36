"""The agent workspace through the API: macros, merge, escalate, spam, bulk, collisions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.auth.agents import create_agent, start_session
from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Event, Message
from tests.support import MailSink, plain_text
from tests.web.test_agent_api import token
from tests.web.test_customer_api import create


def signed_in(client: TestClient, services: Services, email: str, role: str = "agent") -> int:
    """Sign an agent in by session cookie (as the web UI does); return the agent id."""
    with services.db.write() as session:
        agent = create_agent(
            session, email, email.split("@")[0].title(), "password-123456", role, "support"
        )
        agent_id = agent.id
        cookie = start_session(session, agent)
    client.cookies.set("kefu_agent", cookie)
    client.cookies.set("kefu_csrf", "csrf-token-for-tests")
    client.headers["X-CSRF-Token"] = "csrf-token-for-tests"
    return agent_id


def test_a_macro_replies_in_the_customers_language_with_variables_filled(
    client: TestClient, services: Services, wang: dict[str, str], lina: dict[str, str]
) -> None:
    zh_ticket = create(client, wang)["number"]
    en_ticket = create(client, lina, subject="Deposit missing")["number"]
    signed_in(client, services, "bob@kefu.test", role="lead")
    macro = client.post(
        "/api/v1/agent/macros",
        json={
            "name": "ask-txid",
            "body_zh": "{customer_name}，请提供 {ticket_number} 的 TxID。",
            "body_en": "Hi {customer_name}, please send the TxID for {ticket_number}.",
            "status": "pending",
        },
    ).json()

    zh = client.post(f"/api/v1/agent/tickets/{zh_ticket}/macros/{macro['id']}").json()
    en = client.post(f"/api/v1/agent/tickets/{en_ticket}/macros/{macro['id']}").json()
    assert zh["body"] == f"王伟，请提供 {zh_ticket} 的 TxID。"
    assert en["body"] == f"Hi Lina, please send the TxID for {en_ticket}."
    assert client.get(f"/api/v1/tickets/{zh_ticket}", headers=wang).json()["status"] == "pending"


def test_macros_need_both_languages_and_known_variables(
    client: TestClient, services: Services
) -> None:
    signed_in(client, services, "bob@kefu.test", role="lead")
    bad = client.post(
        "/api/v1/agent/macros",
        json={"name": "x", "body_zh": "你好 {password}", "body_en": "Hi {password}"},
    )
    assert bad.status_code == 400
    assert "password" in bad.json()["message"]


def test_only_leads_create_macros(client: TestClient, services: Services) -> None:
    signed_in(client, services, "alice@kefu.test", role="agent")
    response = client.post(
        "/api/v1/agent/macros", json={"name": "m", "body_zh": "好", "body_en": "ok"}
    )
    assert response.status_code == 403


def test_merge_moves_messages_closes_the_source_and_tells_the_customer(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    first = create(client, wang, subject="充值未到账")["number"]
    second = create(client, wang, subject="还是没到账")["number"]
    signed_in(client, services, "alice@kefu.test")
    worker.run_once()
    mail_sink.clear()

    merged = client.post(f"/api/v1/agent/tickets/{second}/merge", json={"into": first})
    assert merged.status_code == 200, merged.text

    source = client.get(f"/api/v1/agent/tickets/{second}").json()
    target = client.get(f"/api/v1/agent/tickets/{first}").json()
    assert source["status"] == "closed" and source["messages"] == []
    assert len([m for m in target["messages"] if m["author"] == "customer"]) == 2
    worker.run_once()
    [mail] = mail_sink.messages()
    assert str(second) in plain_text(mail)
    assert str(first) in plain_text(mail)


def test_tickets_of_different_customers_cannot_be_merged(
    client: TestClient, services: Services, wang: dict[str, str], lina: dict[str, str]
) -> None:
    a = create(client, wang)["number"]
    b = create(client, lina)["number"]
    signed_in(client, services, "alice@kefu.test")
    response = client.post(f"/api/v1/agent/tickets/{a}/merge", json={"into": b})
    assert response.status_code == 409


def test_escalation_needs_a_reason_and_puts_the_ticket_on_hold(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    assert (
        client.post(
            f"/api/v1/agent/tickets/{number}/escalate", json={"team": "security", "reason": "x"}
        ).status_code
        == 400
    )
    done = client.post(
        f"/api/v1/agent/tickets/{number}/escalate",
        json={"team": "security", "reason": "疑似账户被盗，需要安全团队核查"},
    )
    assert done.json()["status"] == "on_hold"
    assert done.json()["assignee_id"] is None
    detail = client.get(f"/api/v1/agent/tickets/{number}").json()
    assert any(
        m["visibility"] == "internal" and "安全团队" in m["body"] for m in detail["messages"]
    )


def test_spam_is_closed_and_tagged_not_deleted(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    result = client.post(f"/api/v1/agent/tickets/{number}/spam").json()
    assert result["status"] == "closed" and "spam" in result["tags"]
    assert client.get(f"/api/v1/agent/tickets/{number}").json()["messages"]


def test_bulk_changes_report_each_ticket(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    a = create(client, wang, subject="一")["number"]
    b = create(client, wang, subject="二号问题")["number"]
    headers = token(services, "tickets:read", "tickets:write")
    result = client.post(
        "/api/v1/agent/tickets/bulk",
        headers=headers,
        json={"numbers": [a, b, "KF-999999"], "status": "open", "add_tags": ["batch"]},
    ).json()
    assert result["updated"] == [a, b]
    assert result["failed"] == {"KF-999999": "not_found"}


def test_a_reply_against_a_stale_view_warns_before_sending(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    seen = client.get(f"/api/v1/agent/tickets/{number}").json()["messages"][-1]["id"]
    client.post(f"/api/v1/tickets/{number}/messages", json={"body": "补充信息"}, headers=wang)

    stale = client.post(
        f"/api/v1/agent/tickets/{number}/messages", json={"body": "已处理", "seen_message_id": seen}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_view"
    sent = client.post(
        f"/api/v1/agent/tickets/{number}/messages",
        json={"body": "已处理", "seen_message_id": seen, "confirm_stale": True},
    )
    assert sent.status_code == 201


def test_agents_see_who_else_is_viewing_or_replying(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    assert (
        client.post(f"/api/v1/agent/tickets/{number}/presence", json={"composing": True}).json()
        == []
    )
    signed_in(client, services, "charlie@kefu.test")
    viewers = client.post(f"/api/v1/agent/tickets/{number}/presence", json={}).json()
    assert viewers == [{"name": "Alice", "composing": True}]


def test_cookie_sessions_need_the_csrf_header_for_changes(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    del client.headers["X-CSRF-Token"]
    response = client.post(f"/api/v1/agent/tickets/{number}/spam")
    assert response.status_code == 403


def test_every_workspace_change_is_in_the_audit_log(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    client.post(f"/api/v1/agent/tickets/{number}/spam")
    with services.db.read() as session:
        kinds = set(session.scalars(select(Event.kind)))
        notes = session.scalars(select(Message.visibility)).all()
    assert {"ticket.marked_spam", "ticket.status_changed"} <= kinds
    assert notes


def test_the_sidebar_shows_live_account_facts_and_audits_the_look(
    client: TestClient, services: Services
) -> None:
    from tests.conftest import identity_token

    customer = {
        "Authorization": f"Bearer {identity_token('10000003', 'zhangwei@example.com', '张伟')}"
    }
    number = create(client, customer, subject="账户被盗")["number"]
    signed_in(client, services, "charlie@kefu.test", role="security")
    page = client.get(f"/agent/tickets/{number}")
    assert page.status_code == 200
    # Insider controls (#9): the facts are fetched and audited, but KYC stays masked until
    # revealed with a reason (tests/insider).
    assert "KYC" in page.text and "zhangwei@example.com" not in page.text
    with services.db.read() as session:
        kinds = set(session.scalars(select(Event.kind)))
    assert {"customer.viewed", "customer.account_facts_viewed"} <= kinds


def test_an_unverified_customer_gets_no_account_facts(
    client: TestClient, services: Services
) -> None:
    from kefu.ingest.inbound import Trust
    from kefu.ingest.pipeline import ingest
    from tests.support import inbound

    receipt = ingest(services, inbound("hi", uid=None, trust=Trust.CLAIMED))
    signed_in(client, services, "alice@kefu.test")
    page = client.get(f"/agent/tickets/{receipt.ticket_number}")
    assert page.status_code == 200
    assert "KYC" not in page.text


def test_the_presence_heartbeat_makes_an_agent_available_for_assignment(
    client: TestClient, services: Services
) -> None:
    from kefu.store.models import AgentAvailability

    agent_id = signed_in(client, services, "alice@kefu.test")
    assert client.post("/api/v1/agent/presence", json={"presence": "online"}).status_code == 204
    with services.db.read() as session:
        row = session.get(AgentAvailability, agent_id)
    assert row is not None and row.presence == "online" and row.last_seen_at is not None
    assert client.post("/api/v1/agent/presence", json={"presence": "asleep"}).status_code == 422


def test_a_repeated_ticket_offers_the_customer_the_open_one_and_the_agent_a_merge(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    first = create(client, wang, subject="USDT 充值未到账")["number"]
    second = client.post(
        "/api/v1/tickets",
        headers=wang,
        json={
            "category": "deposit_withdrawal",
            "subject": "USDT充值还未到账",
            "description": "还是没到",
        },
    ).json()
    assert second["possible_duplicate_of"] == first

    token = wang["Authorization"].split()[1]
    client.get(f"/portal/sso?token={token}", follow_redirects=False)
    portal = client.get(f"/portal/tickets/{second['number']}")
    assert f"/portal/tickets/{first}" in portal.text

    client.cookies.clear()
    signed_in(client, services, "alice@kefu.test")
    page = client.get(f"/agent/tickets/{second['number']}")
    assert f'name="into" value="{first}"' in page.text
    merged = client.post(
        f"/agent/tickets/{second['number']}/merge",
        data={"csrf": "csrf-token-for-tests", "into": first},
        follow_redirects=False,
    )
    assert merged.status_code == 303 and merged.headers["location"].endswith(str(first))


def test_inbox_search_finds_chinese_words_inside_messages_without_spaces(
    client: TestClient, services: Services, wang: dict[str, str]
) -> None:
    hit = create(
        client, wang, subject="合约问题", description="我的BTCUSDT永续合约被强平了，强平价格不对"
    )
    create(client, wang, subject="现货问题", description="限价单没有成交")
    mixed = create(client, wang, subject="充币", description="USDT充值 TRC20 一直没到")
    headers = token(services, "tickets:read")

    def found(q: str) -> list[object]:
        listed = client.get("/api/v1/agent/tickets", params={"q": q}, headers=headers).json()
        return [t["number"] for t in listed["tickets"]]

    assert found("强平") == [hit["number"]]
    assert found("被强平") == [hit["number"]]
    assert found("平被") == []  # terms must be in order
    assert found("usdt充值") == [mixed["number"]]
    assert found("TRC20") == [mixed["number"]]
    assert found("限价单") != []


def test_an_agent_attaches_a_file_and_the_customer_gets_it_by_email(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    import io

    from PIL import Image

    number = create(client, wang)["number"]
    signed_in(client, services, "alice@kefu.test")
    worker.run_once()
    mail_sink.clear()
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(image, format="PNG")
    files = [
        ("files", ("guide.png", image.getvalue(), "image/png")),
        ("files", ("tool.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream")),
    ]
    response = client.post(
        f"/agent/tickets/{number}/messages",
        files=files,
        data={"csrf": "csrf-token-for-tests", "body": "请按图操作", "kind": "reply"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    detail = client.get(f"/api/v1/tickets/{number}", headers=wang).json()
    statuses = {a["filename"]: a["status"] for a in detail["messages"][-1]["attachments"]}
    assert statuses == {"guide.png": "ok", "tool.exe": "quarantined"}
    worker.run_once()
    [mail] = mail_sink.messages()
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert names == ["guide.png"]  # a quarantined file is never sent on
