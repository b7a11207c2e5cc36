"""Satisfaction surveys: asked once when solved, answered by the customer's link only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import SatisfactionRating
from tests.support import MailSink, plain_text
from tests.web.test_agent_api import token
from tests.web.test_customer_api import create


def survey_link(mail_sink: MailSink) -> str:
    bodies = [plain_text(m) for m in mail_sink.messages()]
    links = [m.group(1) for body in bodies for m in [re.search(r"(/csat/\S+)", body)] if m]
    assert links, bodies
    return links[-1]


def solve(client: TestClient, services: Services, number: object) -> None:
    agent = token(services, "tickets:read", "tickets:write")
    response = client.patch(
        f"/api/v1/agent/tickets/{number}", json={"status": "solved"}, headers=agent
    )
    assert response.status_code == 200


def test_a_solved_ticket_gets_one_survey_in_the_customers_language(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    number = create(client, wang)["number"]
    solve(client, services, number)
    worker.run_once()
    link = survey_link(mail_sink)
    assert "请花 10 秒钟为本次服务打分" in plain_text(mail_sink.messages()[-1])

    page = client.get(link)
    assert page.status_code == 200 and "您对本次服务满意吗" in page.text
    csrf = client.cookies.get("kefu_csrf")
    done = client.post(link, data={"csrf": csrf, "score": "4", "comment": "处理很快"})
    assert "感谢您的评价" in done.text
    again = client.post(link, data={"csrf": csrf, "score": "1", "comment": "changed my mind"})
    assert again.status_code == 200
    with services.db.read() as session:
        rating = session.scalars(select(SatisfactionRating)).one()
    assert (rating.score, rating.comment) == (4, "处理很快")  # the first answer stands


def test_a_forged_or_tampered_link_finds_nothing(client: TestClient) -> None:
    assert client.get("/csat/csat.1.0000000000000000").status_code == 404
    assert client.get("/csat/nonsense").status_code == 404


def test_scores_outside_one_to_five_are_refused(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    number = create(client, wang)["number"]
    solve(client, services, number)
    worker.run_once()
    link = survey_link(mail_sink)
    client.get(link)
    response = client.post(link, data={"csrf": client.cookies.get("kefu_csrf"), "score": "9"})
    assert response.status_code == 400


def test_admins_turn_the_survey_off_per_channel(
    client: TestClient,
    services: Services,
    worker: Worker,
    mail_sink: MailSink,
    wang: dict[str, str],
) -> None:
    from tests.workspace.test_workspace_api import signed_in

    signed_in(client, services, "admin@kefu.test", role="admin")
    saved = client.post(
        "/agent/admin/csat",
        data={
            "csrf": "csrf-token-for-tests",
            "question_zh": "满意吗？",
            "question_en": "Happy?",
            "disabled": ["api"],
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    number = create(client, wang)["number"]  # an API-channel ticket
    solve(client, services, number)
    mail_sink.clear()
    worker.run_once()
    assert not any("/csat/" in plain_text(m) for m in mail_sink.messages())
