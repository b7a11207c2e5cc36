"""Satisfaction surveys: asked once a ticket is solved, answered with a signed token.

The survey reaches the customer the way replies do: a public message on the ticket —
emailed with a link for email and web tickets; in chat the message carries the survey
(`meta["survey"]`) and the widget draws 1–5 buttons that send a `rate` frame. Both ways
carry the same signed token and end in `record_rating`, the one place answers are
written; agents can read them, never edit them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.auth.secrets import sign_value, unsign_value
from kefu.channels.chat.topics import message_event, public_topic
from kefu.errors import NotFound, UserError
from kefu.i18n import t
from kefu.jobs.outbox import enqueue
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import (
    ChatSession,
    Event,
    Message,
    SatisfactionRating,
    SurveySettings,
    Ticket,
)
from kefu.tickets.status import Status

CHAT = "chat"
SCALE = (1, 2, 3, 4, 5)
DEFAULT_QUESTION = ("您对本次服务满意吗？", "How satisfied are you with the help you got?")
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Survey:
    ticket: Ticket
    question: str
    rating: SatisfactionRating | None


def survey_settings(session: Session) -> SurveySettings:
    row = session.get(SurveySettings, 1)
    if row is None:
        row = SurveySettings(id=1, question_zh=DEFAULT_QUESTION[0], question_en=DEFAULT_QUESTION[1])
        session.add(row)
        session.flush()
    return row


def survey_token(services: Services, ticket_id: int) -> str:
    return sign_value(f"csat.{ticket_id}", services.settings.resolved_secret_key())


def request_survey(services: Services, payload: dict[str, object]) -> None:
    """Job: post the survey on a solved ticket (a link; buttons in chat), once, unless its
    channel is off."""
    ticket_id = int(str(payload["ticket_id"]))
    live: tuple[str, LiveEvent] | None = None
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.status != Status.SOLVED or _already_asked(session, ticket_id):
            return
        if ticket.channel in survey_settings(session).disabled_channels:
            return
        message = _invitation(session, services, ticket)
        session.add(message)
        session.flush()
        record_event(session, "csat.requested", Actor.system(), ticket_id)
        enqueue(session, "customer.agent_reply", {"ticket_id": ticket_id, "message_id": message.id})
        if ticket.channel == CHAT:
            live = chat_survey_event(session, services, message)
    if live is not None:  # after commit: the widget never shows a survey that rolled back
        services.live.publish(*live)


def _invitation(session: Session, services: Services, ticket: Ticket) -> Message:
    """The survey as a public message: a link for email and web, buttons for chat."""
    token = survey_token(services, ticket.id)
    url = f"{services.settings.public_base_url}/csat/{token}"
    lang = ticket.language
    meta: dict[str, object] | None = None
    text = t("csat.invitation", lang, url=url)
    if ticket.channel == CHAT:
        question = _question(survey_settings(session), lang)
        text = t("csat.chat_invitation", lang, question=question, url=url)
        meta = {"survey": survey_meta(token, question, lang)}
    return Message(
        ticket_id=ticket.id,
        author_kind="system",
        visibility="public",
        channel=ticket.channel,
        body_text=text,
        trust="verified",
        meta=meta,
    )


def survey_meta(token: str, question: str, lang: str) -> dict[str, object]:
    """What the chat widget needs to draw the survey (docs/chat-protocol.md, `survey`)."""
    return {
        "token": token,
        "question": question,
        "scale": list(SCALE),
        "hint": t("csat.scale", lang),
        "comment_label": t("csat.comment", lang),
        "submit_label": t("csat.submit", lang),
        "answered": None,
    }


def chat_survey_event(
    session: Session, services: Services, message: Message
) -> tuple[str, LiveEvent] | None:
    """The survey message on the chat's live topic, if the ticket is a chat's."""
    visitor_key = session.scalar(
        select(ChatSession.visitor_key).where(ChatSession.ticket_id == message.ticket_id)
    )
    if visitor_key is None:
        return None
    return public_topic(visitor_key), message_event(services, message, [])


def _question(settings: SurveySettings, lang: str) -> str:
    return settings.question_zh if lang == "zh-Hans" else settings.question_en


def open_survey(session: Session, services: Services, token: str) -> Survey:
    ticket = session.get(Ticket, _ticket_id(services, token))
    if ticket is None:
        raise NotFound()
    question = _question(survey_settings(session), ticket.language)
    return Survey(ticket, question, session.get(SatisfactionRating, ticket.id))


def record_rating(
    session: Session, services: Services, token: str, score: int, comment: str
) -> SatisfactionRating:
    """Store the customer's answer; the first answer stands (a link is not an edit tool)."""
    if not 1 <= score <= 5:
        raise UserError("csat.bad_score", code="validation_error")
    survey = open_survey(session, services, token)
    if survey.rating is not None:
        return survey.rating
    rating = SatisfactionRating(
        ticket_id=survey.ticket.id,
        score=score,
        comment=comment.strip()[:MAX_COMMENT],
        language=survey.ticket.language,
        channel=survey.ticket.channel,
    )
    session.add(rating)
    record_event(
        session,
        "ticket.rated",
        Actor("customer", survey.ticket.customer_id),
        survey.ticket.id,
        score=score,
    )
    return rating


def _already_asked(session: Session, ticket_id: int) -> bool:
    return (
        session.scalar(
            select(Event.id).where(Event.ticket_id == ticket_id, Event.kind == "csat.requested")
        )
        is not None
    )


def _ticket_id(services: Services, token: str) -> int:
    value = unsign_value(token, services.settings.resolved_secret_key())
    if value is None or not value.startswith("csat.") or not value[5:].isdigit():
        raise NotFound()
    return int(value[5:])
