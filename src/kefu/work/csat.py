"""Satisfaction surveys: asked once a ticket is solved, answered through a signed link.

The survey reaches the customer the way replies do: a public message on the ticket
(emailed for email and web tickets, shown in the chat). Ratings are written only through
the customer's link; agents can read them, never edit them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.auth.secrets import sign_value, unsign_value
from kefu.errors import NotFound, UserError
from kefu.i18n import t
from kefu.jobs.outbox import enqueue
from kefu.services import Services
from kefu.store.models import Event, Message, SatisfactionRating, SurveySettings, Ticket
from kefu.tickets.status import Status

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
    """Job: post the survey link on a solved ticket, once, unless its channel is off."""
    ticket_id = int(str(payload["ticket_id"]))
    with services.db.write() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.status != Status.SOLVED or _already_asked(session, ticket_id):
            return
        if ticket.channel in survey_settings(session).disabled_channels:
            return
        url = f"{services.settings.public_base_url}/csat/{survey_token(services, ticket_id)}"
        message = Message(
            ticket_id=ticket_id,
            author_kind="system",
            visibility="public",
            channel=ticket.channel,
            body_text=t("csat.invitation", ticket.language, url=url),
            trust="verified",
        )
        session.add(message)
        session.flush()
        record_event(session, "csat.requested", Actor.system(), ticket_id)
        enqueue(session, "customer.agent_reply", {"ticket_id": ticket_id, "message_id": message.id})


def open_survey(session: Session, services: Services, token: str) -> Survey:
    ticket = session.get(Ticket, _ticket_id(services, token))
    if ticket is None:
        raise NotFound()
    settings = survey_settings(session)
    question = settings.question_zh if ticket.language == "zh-Hans" else settings.question_en
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
