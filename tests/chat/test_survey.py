"""The satisfaction survey inside the chat widget: buttons when a chat is solved, answers
recorded through the same path as the email link (first answer stands, channel switch)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from kefu.jobs.worker import Worker
from kefu.services import Services
from kefu.store.models import Event, Message, SatisfactionRating, SurveySettings
from kefu.work.csat import survey_settings
from tests.conftest import identity_token


def run_jobs(worker: Worker) -> None:
    while worker.run_once():
        pass


def solve_by_bot(widget: Any, lang: str) -> dict[str, Any]:
    """Ask, get the bot's article, say it helped: the bot solves the chat's ticket."""
    question = "怎么找到充值的 TxID？" if lang == "zh-Hans" else "How do I find my deposit TxID?"
    widget.say("q1", question)
    widget.bot_reply()
    ack: dict[str, Any] = widget.say("q2", "已解决" if lang == "zh-Hans" else "solved")
    widget.bot_reply()
    return ack


def survey_frame(widget: Any) -> dict[str, Any]:
    event = widget.until("message", where=lambda e: e.get("survey"))
    survey: dict[str, Any] = event["survey"]
    return survey


def rate(widget: Any, survey: str, score: int, comment: str = "") -> dict[str, Any]:
    widget.send({"type": "rate", "survey": survey, "score": score, "comment": comment})
    answer: dict[str, Any] = widget.until("rated", "error")
    return answer


def test_a_solved_chat_offers_buttons_and_the_first_answer_stands(
    open_widget: Any, chat_services: Services, worker: Worker
) -> None:
    widget = open_widget()
    widget.hello(token=identity_token("20000001", "wang@example.com", "王伟"), lang="zh-Hans")
    solve_by_bot(widget, "zh-Hans")
    run_jobs(worker)  # csat.request: the survey reaches the open widget live
    survey = survey_frame(widget)
    assert survey["scale"] == [1, 2, 3, 4, 5]
    assert survey["question"] == "您对本次服务满意吗？"
    assert survey["answered"] is None
    assert (survey["comment_label"], survey["submit_label"]) == ("补充说明（选填）", "提交评价")

    first = rate(widget, survey["token"], 5, "  回复很快  ")
    assert first == {
        "type": "rated",
        "survey": survey["token"],
        "score": 5,
        "first": True,
        "text": "感谢您的评价！",
    }
    again = rate(widget, survey["token"], 1, "changed my mind")
    assert (again["score"], again["first"]) == (5, False)
    assert "以首次评价为准" in again["text"]
    with chat_services.db.read() as session:
        rating = session.scalars(select(SatisfactionRating)).one()
        rated = session.scalars(select(Event).where(Event.kind == "ticket.rated")).all()
    assert (rating.score, rating.comment, rating.channel, rating.language) == (
        5,
        "回复很快",
        "chat",
        "zh-Hans",
    )
    assert len(rated) == 1 and rated[0].actor_kind == "customer"


def test_a_reconnecting_widget_sees_the_survey_already_answered(
    open_widget: Any, chat_services: Services, worker: Worker
) -> None:
    widget = open_widget()
    welcome = widget.hello(lang="en")
    solve_by_bot(widget, "en")
    run_jobs(worker)
    survey = survey_frame(widget)
    assert survey["question"] == "How satisfied are you with the help you got?"
    assert rate(widget, survey["token"], 4)["text"] == "Thank you for your rating!"

    again = open_widget()
    again.hello(session=welcome["session"], lang="en", last_seq=0)
    replayed = survey_frame(again)
    assert replayed["token"] == survey["token"] and replayed["answered"] == 4


def test_the_email_link_and_the_chat_buttons_share_one_answer(
    open_widget: Any, chat_services: Services, chat_client: TestClient, worker: Worker
) -> None:
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    solve_by_bot(widget, "zh-Hans")
    run_jobs(worker)
    token = survey_frame(widget)["token"]
    link = f"/csat/{token}"
    chat_client.get(link)
    chat_client.post(link, data={"csrf": chat_client.cookies.get("kefu_csrf"), "score": "2"})
    answer = rate(widget, token, 5)
    assert (answer["score"], answer["first"]) == (2, False)
    with chat_services.db.read() as session:
        assert [r.score for r in session.scalars(select(SatisfactionRating))] == [2]


def test_bad_scores_and_forged_tokens_get_clear_errors_in_the_visitors_language(
    open_widget: Any, chat_services: Services, worker: Worker
) -> None:
    widget = open_widget()
    widget.hello(lang="en")
    solve_by_bot(widget, "en")
    run_jobs(worker)
    token = survey_frame(widget)["token"]
    bad = rate(widget, token, 9)
    assert (bad["type"], bad["code"]) == ("error", "validation_error")
    assert bad["message"] == "Please choose a score from 1 to 5."
    forged = rate(widget, "csat.1.0000000000000000", 5)
    assert (forged["type"], forged["code"]) == ("error", "not_found")
    with chat_services.db.read() as session:
        assert session.scalars(select(SatisfactionRating)).all() == []


def test_no_survey_in_chat_when_admins_turned_it_off_for_chat(
    open_widget: Any, chat_services: Services, worker: Worker
) -> None:
    with chat_services.db.write() as session:
        survey_settings(session).disabled_channels = ["chat"]
    widget = open_widget()
    widget.hello(lang="zh-Hans")
    solve_by_bot(widget, "zh-Hans")
    run_jobs(worker)
    widget.send({"type": "ping"})
    widget.until("pong")
    assert not any(e.get("survey") for e in widget.seen)
    with chat_services.db.read() as session:
        assert session.get(SurveySettings, 1) is not None
        asked = session.scalars(select(Event).where(Event.kind == "csat.requested")).all()
        surveys = [m for m in session.scalars(select(Message)) if (m.meta or {}).get("survey")]
    assert asked == [] and surveys == []
