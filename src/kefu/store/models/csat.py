"""Satisfaction surveys: one rating per ticket, written by the customer only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kefu.store.models.base import Base, utcnow


class SatisfactionRating(Base):
    __tablename__ = "satisfaction_ratings"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    score: Mapped[int]  # 1 (very unhappy) … 5 (very happy)
    comment: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SurveySettings(Base):
    """The one row of survey settings admins edit (id = 1)."""

    __tablename__ = "survey_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_zh: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str] = mapped_column(Text)
    disabled_channels: Mapped[list[Any]] = mapped_column(default=list)
