"""Secrets pasted by customers never reach the database, the files, the logs or the outbox,
whichever way they arrive. Each test dumps every table and the captured logs and greps."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from kefu.ingest.inbound import InboundAttachment
from kefu.ingest.pipeline import ingest
from kefu.services import Services
from kefu.store.models import Base
from tests.support import inbound

SEED = "abandon ability able about above absent absorb abstract absurd abuse access accident"
SECRETS = {
    "seed": SEED,
    "password": "Tr0ub4dor&3-secret",
    "code": "493021",
    "key": "e9873d79c6d87dc0fb6a5778633389f4453213303da61f20bd67fc233aa33262",
}
MESSAGE = (
    f"我的助记词是 {SEED}，登录密码：{SECRETS['password']}，谷歌验证码 {SECRETS['code']}，"
    f"私钥 0x{SECRETS['key']} 请帮我找回资产"
)


def everything_stored(services: Services) -> str:
    with services.db.engine.connect() as conn:
        rows = [
            str(row)
            for table in Base.metadata.sorted_tables
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"'))
        ]
    files = [
        p.read_bytes().decode("utf-8", "replace")
        for p in Path(services.files.root).rglob("*")
        if p.is_file()
    ]
    return "\n".join(rows + files)


def assert_no_secret(haystack: str) -> None:
    for name, secret in SECRETS.items():
        assert secret not in haystack, f"{name} leaked"
    assert "abandon ability able" not in haystack


def test_the_pipeline_redacts_text_subject_html_and_text_attachments(
    services: Services, logs: pytest.LogCaptureFixture
) -> None:
    receipt = ingest(
        services,
        inbound(
            MESSAGE,
            subject=f"密码 {SECRETS['password']}",
            body_html=f"<p>助记词：<b>{SEED[:40]}</b>{SEED[40:]}</p>",
            attachments=(InboundAttachment("notes.txt", "text/plain", MESSAGE.encode()),),
        ),
    )
    assert {f.kind for f in receipt.redactions} >= {
        "seed_phrase",
        "password",
        "verification_code",
        "private_key",
    }
    assert_no_secret(everything_stored(services))
    assert_no_secret(logs.text)


def test_the_rest_api_channel(
    client: TestClient, services: Services, wang: dict[str, str], logs: pytest.LogCaptureFixture
) -> None:
    created = client.post(
        "/api/v1/tickets",
        headers=wang,
        json={"category": "security", "subject": "账户被盗", "description": MESSAGE},
    )
    number = created.json()["number"]
    client.post(f"/api/v1/tickets/{number}/messages", headers=wang, json={"body": MESSAGE})
    detail = client.get(f"/api/v1/tickets/{number}", headers=wang).json()
    assert "[已隐藏:助记词]" in detail["messages"][0]["body"]
    assert {r["kind"] for r in detail["messages"][0]["redactions"]} >= {"seed_phrase", "password"}
    assert_no_secret(everything_stored(services))
    assert_no_secret(logs.text)


def test_the_portal_form_channel(
    client: TestClient, services: Services, wang: dict[str, str], logs: pytest.LogCaptureFixture
) -> None:
    token = wang["Authorization"].split()[1]
    client.get(f"/portal/sso?token={token}", follow_redirects=False)
    form = client.get("/portal/tickets/new")
    csrf = client.cookies.get("kefu_csrf")
    assert form.status_code == 200 and csrf
    submission = form.text.split('name="submission_id" value="')[1].split('"')[0]
    response = client.post(
        "/portal/tickets/new",
        data={
            "csrf": csrf,
            "submission_id": submission,
            "category": "security",
            "subject": "求助",
            "description": MESSAGE,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "已隐藏敏感信息" in response.text  # the badge
    assert_no_secret(everything_stored(services))
    assert_no_secret(logs.text)


def test_the_customer_is_warned_once_per_ticket_in_their_language(
    services: Services, worker: object
) -> None:
    from kefu.jobs.worker import Worker
    from kefu.tickets.queries import timeline

    assert isinstance(worker, Worker)
    first = ingest(services, inbound(MESSAGE, external_id="a"))
    ingest(services, inbound(MESSAGE, external_id="b", ticket_number=first.ticket_number))
    worker.run_once()
    with services.db.read() as session:
        warnings = [
            e.message.body_text
            for e in timeline(session, first.ticket_id, include_internal=False)
            if e.message.author_kind == "system"
        ]
    assert len(warnings) == 1
    assert "助记词" in warnings[0] and "官方客服绝不会索要" in warnings[0]
