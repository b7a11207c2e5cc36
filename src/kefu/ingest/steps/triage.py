"""triage: category, priority, team, and whether this repeats an open ticket."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

from sqlalchemy import Table, bindparam, or_, select
from sqlalchemy.orm import Session

from kefu.categories import CATEGORY_BY_SLUG
from kefu.ingest.draft import Draft, TicketRef
from kefu.services import Services
from kefu.store.models import Ticket
from kefu.store.models.base import utcnow
from kefu.store.prebuilt import Prebuilt
from kefu.tickets.status import OPEN_STATUSES, raise_priority

URGENT_MARKERS = re.compile(
    r"[\[【](?:紧急|緊急|urgent)[\]】]|紧急|緊急|\burgent\b|加急|十万火急", re.IGNORECASE
)
# Someone may be losing money right now: these go to the front of the queue.
EMERGENCY_WORDS = re.compile(
    r"被盗|盗号|被黑|资产丢失|未经授权|不是我本人|冻结我的账户|"
    r"\bhacked\b|\bstolen\b|\bcompromised\b|unauthori[sz]ed|did ?n[o']t (?:make|authori[sz]e)|"
    r"freeze my account",
    re.IGNORECASE,
)
# Fixed strings in lower case, one of which every alternative above contains: a few `in`
# tests rule out nearly every message before the (slow, case-insensitive) regex runs.
EMERGENCY_NEEDLES = (
    "被盗", "盗号", "被黑", "资产丢失", "未经授权", "不是我本人", "冻结我的账户",
    "hacked", "stolen", "compromised", "unauthori", "did", "freeze my account",
)  # fmt: skip
# A keyword guess when the channel gave no category; the bot refines it later.
CATEGORY_HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("security", re.compile(r"被盗|盗号|钓鱼|2fa|谷歌验证|安全|hack|phish|stolen|security", re.I)),
    ("api", re.compile(r"\bapi\b|签名|signature|rate limit|websocket|接口", re.I)),
    ("deposit_withdrawal", re.compile(r"充值|充币|提现|提币|到账|deposit|withdraw|txid", re.I)),
    ("futures", re.compile(r"合约|强平|爆仓|资金费率|futures|liquidat|funding rate", re.I)),
    ("earn_loans", re.compile(r"理财|借贷|质押|staking|\bearn\b|\bloan", re.I)),
    ("listing_business", re.compile(r"上币|上架|商务|合作|listing|partnership", re.I)),
    ("account", re.compile(r"实名|kyc|认证|登录|账户|账号|login|account|verify", re.I)),
    ("trading", re.compile(r"交易|订单|挂单|手续费|trade|order|fee", re.I)),
)
DUPLICATE_WINDOW = timedelta(days=14)
DUPLICATE_SIMILARITY = 0.5
_T = cast(Table, Ticket.__table__)
RECENT_OPEN_TICKETS = Prebuilt(
    select(_T.c.id, _T.c.number, _T.c.category, _T.c.subject)
    .where(
        _T.c.customer_id == bindparam("customer_id"),
        # OR of equalities, not IN: an IN list is re-expanded on every execution.
        or_(*(_T.c.status == s.value for s in OPEN_STATUSES)),
        _T.c.created_at >= bindparam("since"),
    )
    .order_by(_T.c.id.desc())
    .limit(20)
)


def classify(services: Services, draft: Draft) -> None:
    """The half of triage that reads only the message: category, priority, team."""
    text = f"{draft.subject}\n{draft.text}"
    draft.category = _category(draft.inbound.category, text)
    draft.priority = _priority(draft.subject, text, draft.category)
    if draft.inbound.priority_floor:
        draft.priority = raise_priority(draft.priority, draft.inbound.priority_floor)
    category = CATEGORY_BY_SLUG.get(draft.category or "")
    draft.team_slug = draft.inbound.team or (category.team if category else "support")


def triage(session: Session, services: Services, draft: Draft) -> None:
    """The half that needs the database: does this repeat one of the customer's open tickets?"""
    if draft.ticket is not None:
        return  # a reply keeps its ticket's triage
    draft.possible_duplicate = _open_ticket_repeated(session, draft)


def _category(given: str | None, text: str) -> str | None:
    if given in CATEGORY_BY_SLUG:
        return given
    return next((slug for slug, pattern in CATEGORY_HINTS if pattern.search(text)), None)


def _priority(subject: str, text: str, category: str | None) -> str:
    priority = "normal"
    if category == "security":
        priority = raise_priority(priority, "high")
    if URGENT_MARKERS.search(subject):
        priority = raise_priority(priority, "high")
    if is_emergency(text):
        priority = raise_priority(priority, "urgent")
    return priority


def is_emergency(text: str) -> bool:
    """Someone may be losing money right now (EMERGENCY_WORDS)."""
    folded = text.lower()
    if not any(needle in folded for needle in EMERGENCY_NEEDLES):
        return False
    return EMERGENCY_WORDS.search(text) is not None


def _open_ticket_repeated(session: Session, draft: Draft) -> TicketRef | None:
    assert draft.customer is not None
    if draft.customer.id is None:
        return None
    # A prebuilt Core statement: this runs on every new ticket, inside the write transaction.
    candidates = RECENT_OPEN_TICKETS.rows(
        session.connection(),
        {"customer_id": draft.customer.id, "since": utcnow() - DUPLICATE_WINDOW},
    )
    shingles = _shingles(draft.subject or draft.text[:120])
    for ticket_id, number, category, subject in candidates:
        if draft.category and category not in (None, draft.category):
            continue
        if _similarity(shingles, _shingles(subject)) >= DUPLICATE_SIMILARITY:
            return TicketRef(ticket_id, number or "")
    return None


def _shingles(text: str) -> set[str]:
    """Character bigrams of the letters and digits: works without word boundaries (Chinese)."""
    folded = "".join(ch for ch in text.lower() if ch.isalnum())
    return {folded[i : i + 2] for i in range(len(folded) - 1)}


def _similarity(new: set[str], existing: set[str]) -> float:
    """Jaccard similarity; too short a subject says too little to call a repeat."""
    if len(new) < 3 or len(existing) < 3:
        return 0.0
    return len(new & existing) / len(new | existing)
