"""answer_or_handoff(): how the bot reads one customer message.

It never writes anything: the chat channel decides what to do with the decision (answer
with the best article, ask which of two topics, or queue for a person).
"""

from __future__ import annotations

import html
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from kefu.bot.classify import Reading, read_categories
from kefu.bot.handoff import HandoffReason, immediate_handoff
from kefu.kb.search import Hit, SearchIndex, index_for
from kefu.language import detect_language
from kefu.services import Services

# Below this the bot says it is not sure instead of answering; a second time, it hands over.
ANSWER_CONFIDENCE = 0.35
FAILURES_BEFORE_HANDOFF = 2
ARTICLES_SHOWN = 3
HITS_READ = 5
DECISIONS_REMEMBERED = 2048
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class ArticleRef:
    id: int
    slug: str
    title: str
    category: str
    score: float
    url: str
    passage: str  # plain text around the matched words


@dataclass(frozen=True)
class BotDecision:
    language: str
    category: str | None
    articles: tuple[ArticleRef, ...]
    confidence: float
    handoff: bool
    handoff_reason: str | None
    urgent: bool = False
    clarify: tuple[str, ...] = field(default=())  # two categories to choose between

    @property
    def can_answer(self) -> bool:
        return bool(self.articles) and self.confidence >= ANSWER_CONFIDENCE

    def as_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "category": self.category,
            "articles": [
                {"id": a.id, "title": a.title, "category": a.category, "score": round(a.score, 3)}
                for a in self.articles
            ],
            "confidence": self.confidence,
            "handoff": self.handoff,
            "handoff_reason": self.handoff_reason,
            "urgent": self.urgent,
            "clarify": list(self.clarify),
        }


def answer_or_handoff(
    services: Services,
    text: str,
    language: str | None = None,
    category: str | None = None,
    *,
    failures: int = 0,
) -> BotDecision:
    """Read `text`: category, best articles, confidence, and whether a person must take over.

    `category` is the topic the customer picked (a hint, not a rule); `failures` counts
    the bot's earlier unhelpful answers in this chat.
    """
    lang = language or detect_language(text, services.settings.default_language)
    return _recent.answer(services, (text, lang, category, failures))


def _decide(
    index: SearchIndex, text: str, lang: str, category: str | None, failures: int
) -> BotDecision:
    reason = immediate_handoff(text)
    hits = tuple(index.search(text, lang, HITS_READ))
    reading = read_categories(text, hits, category)
    chosen = _category(reading, reason)
    articles = _articles(hits, chosen)
    confidence = _confidence(reading, chosen, articles)
    clarify = _clarify(reading) if category is None and reason is None else ()
    unsure = reason is None and not clarify and confidence < ANSWER_CONFIDENCE
    if unsure and failures + 1 >= FAILURES_BEFORE_HANDOFF:
        reason = HandoffReason.BOT_FAILED
    return BotDecision(
        language=lang,
        category=chosen,
        articles=articles,
        confidence=confidence,
        handoff=reason is not None,
        handoff_reason=reason.value if reason else None,
        urgent=reason is HandoffReason.SENSITIVE,
        clarify=clarify,
    )


Question = tuple[str, str, str | None, int]  # text, language, picked category, failures


class _RecentAnswers:
    """The bot's decisions on the texts read lately, for the help-center index they used.

    In an incident thousands ask the same few questions word for word, and the search
    (~4 ms) is most of what the bot costs. A decision depends only on the text, language,
    picked topic, earlier failures and the articles. `index_for` hands out a new index
    whenever the articles change (here at once, elsewhere within its recheck interval),
    and then everything remembered is dropped: a decision is never older than the index.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._decisions: OrderedDict[Question, BotDecision] = OrderedDict()

    def answer(self, services: Services, key: Question) -> BotDecision:
        index = index_for(services)
        with self._lock:
            if self._index is index and (found := self._decisions.get(key)) is not None:
                self._decisions.move_to_end(key)
                return found
        decision = _decide(index, *key)
        with self._lock:
            if self._index is not index:
                self._index, self._decisions = index, OrderedDict()
            self._decisions[key] = decision
            if len(self._decisions) > DECISIONS_REMEMBERED:
                self._decisions.popitem(last=False)
        return decision


_recent = _RecentAnswers()


def _category(reading: Reading, reason: HandoffReason | None) -> str | None:
    if reason is HandoffReason.SENSITIVE:
        return "security"
    ranked = reading.ranked()
    return ranked[0][0] if ranked else None


def _articles(hits: tuple[Hit, ...], category: str | None) -> tuple[ArticleRef, ...]:
    """Hits of the chosen category first: the search may rank a generic page above them."""
    ordered = [h for h in hits if h.category == category] + [
        h for h in hits if h.category != category
    ]
    return tuple(_ref(hit) for hit in ordered[:ARTICLES_SHOWN])


def _ref(hit: Hit) -> ArticleRef:
    passage = html.unescape(_TAG.sub("", hit.snippet)).strip()
    return ArticleRef(
        hit.article_id, hit.slug, hit.title, hit.category, hit.score, hit.url, passage
    )


def _confidence(reading: Reading, category: str | None, articles: tuple[ArticleRef, ...]) -> float:
    if category is None or not reading.scores:
        return 0.0
    share = reading.scores.get(category, 0.0) / sum(reading.scores.values())
    worded = 1.0 if reading.words.get(category) else 0.6
    on_topic = 1.0 if articles and articles[0].category == category else 0.5
    return round(min(1.0, share * worded * on_topic * 1.6), 2)


def _clarify(reading: Reading) -> tuple[str, ...]:
    """Two categories named equally often and nothing else ahead: ask which one."""
    named = sorted(reading.words.items(), key=lambda item: (-item[1], item[0]))
    if (
        len(named) >= 2
        and named[0][1] == named[1][1]
        and (len(named) == 2 or named[2][1] < named[1][1])
    ):
        return (named[0][0], named[1][0])
    return ()
