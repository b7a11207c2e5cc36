"""The satisfaction survey inside the chat widget: a `rate` frame is answered with `rated`.

The survey message carries the same signed token as the email link (`kefu.work.csat`), and
the answer goes through the same `record_rating`: one place writes ratings, the first
answer stands, and the per-channel switch decided whether the survey was sent at all.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kefu.channels.chat.frames import Rate
from kefu.channels.chat.visitor import Visitor
from kefu.i18n import t
from kefu.live.hub import LiveEvent
from kefu.services import Services
from kefu.store.models import SatisfactionRating
from kefu.work.csat import open_survey, record_rating


def rate_in_chat(services: Services, visitor: Visitor, rate: Rate) -> LiveEvent:
    """Record the visitor's answer (unless one stands already) and say what was kept."""
    with services.db.write() as session:
        earlier = open_survey(session, services, rate.survey).rating
        rating = record_rating(session, services, rate.survey, rate.score, rate.comment)
        first = earlier is None
        key = "csat.thanks" if first else "csat.already_rated"
        return {
            "type": "rated",
            "survey": rate.survey,
            "score": rating.score,
            "first": first,
            "text": t(key, visitor.language, score=rating.score),
        }


def mark_answered(session: Session, ticket_id: int, events: list[LiveEvent]) -> None:
    """Replayed survey messages say whether (and how) they were answered already."""
    surveys = [e["survey"] for e in events if e.get("survey")]
    if not surveys:
        return
    rating = session.get(SatisfactionRating, ticket_id)
    for survey in surveys:
        survey["answered"] = rating.score if rating is not None else None
