"""The bot's side of a chat: answer, ask which topic, ask "Did this solve it?", or hand over.

In two halves, so the database's writer never waits for the help-center search: `think`
reads the customer's text against the conversation as it stood (no writes, before the
write transaction), and `bot_turn` says it inside the transaction. If the conversation
moved in between (another tab's message, an agent's accept), `bot_turn` thinks again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from kefu.audit import Actor
from kefu.bot import BotDecision, answer_or_handoff
from kefu.bot.answer import FAILURES_BEFORE_HANDOFF
from kefu.bot.handoff import HandoffReason
from kefu.bot.official import answer_if_official_question
from kefu.categories import CATEGORY_BY_SLUG
from kefu.channels.chat.queue import hand_over
from kefu.i18n import t
from kefu.services import Services
from kefu.store.models import ChatSession, Message, Ticket
from kefu.tickets.actions import add_bot_message, set_status
from kefu.tickets.status import Status

BOT = Actor("bot")
YES = re.compile(
    r"^\s*(?:是|是的|对|解决了|已解决|好的|好了|可以了|谢谢|yes|yep|y|solved|thanks|thank you|ok)"
    r"\W*$",
    re.I,
)
NO = re.compile(
    r"^\s*(?:否|不是|没有|没解决|没有解决|不行|还是不行|no|nope|n|not solved|didn'?t help)\W*$",
    re.I,
)
PASSAGE_CHARS = 280


class ChatFields(Protocol):
    """A `ChatSession`, or a row of its columns read without the ORM."""

    @property
    def language(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def awaiting(self) -> str | None: ...
    @property
    def clarify_options(self) -> Sequence[str] | None: ...
    @property
    def pending_text(self) -> str | None: ...
    @property
    def bot_failures(self) -> int: ...


@dataclass(frozen=True)
class ChatView:
    """The fields of a conversation that the bot's reading depends on."""

    language: str
    category: str | None
    awaiting: str | None = None
    clarify_options: tuple[str, ...] = ()
    pending_text: str | None = None
    bot_failures: int = 0

    @classmethod
    def of(cls, chat: ChatFields) -> ChatView:
        return cls(
            chat.language,
            chat.category,
            chat.awaiting,
            tuple(chat.clarify_options or ()),
            chat.pending_text,
            chat.bot_failures,
        )


@dataclass(frozen=True)
class Thought:
    """What the bot made of `said` in the conversation `view`."""

    view: ChatView
    said: str
    verdict: bool | None = None  # the answer to "Did this solve it?"
    picked: str | None = None  # the topic chosen after a clarifying question
    text: str = ""  # what the bot reads: `said`, or the question that awaited a topic
    official: str | None = None  # the verifier's verdict, when asked "is this you?"
    decision: BotDecision | None = None

    def fits(self, chat: ChatSession, said: str) -> bool:
        return self.said == said and self.view == ChatView.of(chat)


def think(services: Services, view: ChatView, said: str) -> Thought:
    """The bot's reading of `said` (help-center search included); reads, never writes."""
    awaiting = view.awaiting
    if awaiting == "feedback":
        verdict = _verdict(said)
        if verdict is not None:
            return Thought(view, said, verdict=verdict)
        awaiting = None
    picked, category, text = None, view.category, said
    if awaiting == "clarify":
        picked = _picked(said, list(view.clarify_options), view.language)
        if picked is not None:
            category, text = picked, view.pending_text or said
    official = answer_if_official_question(services, text, view.language)
    if official is not None:
        return Thought(view, said, picked=picked, text=text, official=official)
    decision = answer_or_handoff(
        services, text, view.language, category, failures=view.bot_failures
    )
    return Thought(view, said, picked=picked, text=text, decision=decision)


def bot_turn(
    session: Session,
    services: Services,
    chat: ChatSession,
    ticket: Ticket,
    said: str,
    thought: Thought | None = None,
) -> list[Message]:
    """Everything the bot says in reply to one customer message (in its transaction).
    `thought`: `think`'s reading from before the transaction, used if it still fits."""
    if thought is None or not thought.fits(chat, said):
        thought = think(services, ChatView.of(chat), said)
    if thought.picked is not None:
        chat.category = thought.picked
    chat.awaiting = None
    if thought.verdict is not None:
        return _after_feedback(session, services, chat, ticket, helped=thought.verdict)
    if thought.official is not None:
        return [_say(session, ticket, thought.official)]
    decision = thought.decision
    assert decision is not None, "think reads every message it does not settle otherwise"
    if decision.handoff:
        return _hand_over(session, chat, ticket, decision)
    if decision.clarify:
        return [_clarify(session, chat, ticket, decision, thought.text)]
    if decision.can_answer:
        return [_answer(session, services, chat, ticket, decision)]
    chat.bot_failures += 1
    return [_say(session, ticket, t("chat.not_sure", chat.language), [_human(chat)])]


def _after_feedback(
    session: Session, services: Services, chat: ChatSession, ticket: Ticket, *, helped: bool
) -> list[Message]:
    if helped:
        if ticket.status != Status.SOLVED:
            set_status(session, ticket, Status.SOLVED.value, BOT)
        return [_say(session, ticket, t("chat.glad", chat.language))]
    chat.bot_failures += 1
    if chat.bot_failures >= FAILURES_BEFORE_HANDOFF:
        reason = HandoffReason.BOT_FAILED.value
        return hand_over(session, chat, ticket, reason, chat.category, _summary(chat, reason, None))
    return [_say(session, ticket, t("chat.try_again", chat.language), [_human(chat)])]


def _hand_over(
    session: Session, chat: ChatSession, ticket: Ticket, decision: BotDecision
) -> list[Message]:
    reason = decision.handoff_reason or HandoffReason.ASKED.value
    summary = _summary(chat, reason, decision)
    return hand_over(session, chat, ticket, reason, decision.category, summary)


def _summary(chat: ChatSession, reason: str, decision: BotDecision | None) -> str:
    """The agent's briefing, in both languages: why, what topic, what the bot already showed."""
    shown = ", ".join(a.title for a in decision.articles) if decision else ""
    category = (decision.category if decision else None) or chat.category or "-"
    why = [t("chat.console.reason." + reason, lang) for lang in ("zh-Hans", "en")]
    lines = [
        f"{t('chat.console.reason', 'zh-Hans')} / {t('chat.console.reason', 'en')}: "
        f"{why[0]} / {why[1]}",
        f"{t('chat.console.category', 'en')}: {category}",
        f"bot failures: {chat.bot_failures}; trust: {chat.trust}",
    ]
    if shown:
        lines.append(f"articles shown: {shown}")
    return "\n".join(lines)


def _clarify(
    session: Session, chat: ChatSession, ticket: Ticket, decision: BotDecision, text: str
) -> Message:
    first, second = (CATEGORY_BY_SLUG[slug].name(chat.language) for slug in decision.clarify)
    chat.awaiting, chat.pending_text = "clarify", text
    chat.clarify_options = list(decision.clarify)
    body = t("chat.clarify", chat.language, first=first, second=second)
    return _say(session, ticket, body, [first, second])


def _answer(
    session: Session, services: Services, chat: ChatSession, ticket: Ticket, decision: BotDecision
) -> Message:
    best = decision.articles[0]
    url = services.settings.public_base_url.rstrip("/") + best.url
    passage = (
        best.passage if len(best.passage) <= PASSAGE_CHARS else best.passage[:PASSAGE_CHARS] + "…"
    )
    lang = chat.language
    body = "\n\n".join(
        [
            f"{t('chat.answer_intro', lang)} {best.title}",
            passage,
            t("chat.read_more", lang, url=url),
            t("chat.did_it_help", lang),
        ]
    )
    chat.awaiting, chat.category = "feedback", decision.category or chat.category
    articles = [
        {"title": a.title, "url": services.settings.public_base_url.rstrip("/") + a.url}
        for a in decision.articles[:1]
    ]
    return _say(session, ticket, body, [t("chat.yes", lang), t("chat.no", lang)], articles)


def _human(chat: ChatSession) -> str:
    return t("chat.widget.human", chat.language)


def _say(
    session: Session,
    ticket: Ticket,
    body: str,
    quick_replies: list[str] | None = None,
    articles: list[dict[str, str]] | None = None,
) -> Message:
    meta = {"quick_replies": quick_replies or [], "articles": articles or []}
    return add_bot_message(session, ticket, body, meta=meta)


def _verdict(text: str) -> bool | None:
    if YES.match(text):
        return True
    if NO.match(text):
        return False
    return None


def _picked(text: str, options: list[str], lang: str) -> str | None:
    folded = text.strip().casefold()
    for index, slug in enumerate(options, start=1):
        category = CATEGORY_BY_SLUG.get(slug)
        if category is None:
            continue
        names = {category.name_zh.casefold(), category.name_en.casefold(), slug, str(index)}
        if folded in names or any(name in folded for name in names if len(name) > 1):
            return slug
    return None
