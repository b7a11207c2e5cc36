"""THE path for every customer message: shield → dedupe → identify → thread → triage → persist.

Every channel builds an `Inbound` and calls `ingest()`; nothing else writes customer
messages. The steps that read only the message (shield, and triage's reading of the
text) run first, outside any transaction, so the database's single writer never waits on
their CPU work; the others run in one write transaction. The channel is told "accepted"
only after it commits, and live events go out only after that (react).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from copy import copy
from functools import partial

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kefu.ingest.draft import Draft, Receipt
from kefu.ingest.inbound import Inbound
from kefu.ingest.steps.dedupe import dedupe, find_receipt
from kefu.ingest.steps.identify import identify
from kefu.ingest.steps.persist import persist
from kefu.ingest.steps.shield import shield
from kefu.ingest.steps.thread import thread
from kefu.ingest.steps.triage import classify, triage
from kefu.ingest.stops import Duplicate
from kefu.live.events import AGENTS
from kefu.services import Services
from kefu.shield import Finding
from kefu.store import search_terms

log = logging.getLogger(__name__)

MessageStep = Callable[[Services, Draft], None]
Step = Callable[[Session, Services, Draft], None]
BEFORE_TRANSACTION: tuple[MessageStep, ...] = (shield, classify)
STEPS: tuple[Step, ...] = (dedupe, identify, thread, triage, persist)


def ingest(services: Services, inbound: Inbound) -> Receipt:
    """Persist `inbound` exactly once and return what the channel should tell the sender."""
    draft = prepare(services, inbound)
    try:
        with services.db.write() as session:
            receipt = ingest_in(session, services, draft)
    except IntegrityError as error:
        receipt = _raced(services, inbound, error)
    publish_receipt(services, receipt)
    return receipt


async def ingest_async(services: Services, inbound: Inbound) -> Receipt:
    """`ingest` for async callers: in the writer lane, where it may share a commit."""
    draft = prepare(services, inbound)
    try:
        receipt = await services.db.write_unit(
            partial(ingest_in, services=services, prepared=draft)
        )
    except IntegrityError as error:
        receipt = _raced(services, inbound, error)
    publish_receipt(services, receipt)
    return receipt


def prepare(services: Services, inbound: Inbound) -> Draft:
    """The steps that need only the message (no database, no lock)."""
    draft = Draft(inbound=inbound)
    for step in BEFORE_TRANSACTION:
        step(services, draft)
    # The storage's search terms, unlocked (and carried along: see `ingest_in`).
    draft.search_terms = search_terms.warm(draft.subject, draft.text)
    return draft


def ingest_in(session: Session, services: Services, prepared: Draft) -> Receipt:
    """The database steps, inside the caller's write transaction (which must commit
    before the sender is told anything). `prepared` comes from `prepare` and is left
    untouched, so a rolled-back attempt can simply run again."""
    draft = copy(prepared)
    inbound = draft.inbound
    search_terms.remember(draft.search_terms)  # prepared in another process, maybe
    try:
        for step in STEPS:
            step(session, services, draft)
    except Duplicate as stop:
        return stop.receipt
    receipt = _receipt(draft)
    # A new ticket or a hidden secret is worth a line at INFO; every other message is in
    # the audit trail already, and a log line per chat message costs ~4 % of its time.
    notable = receipt.created_ticket or receipt.redactions
    log.log(
        logging.INFO if notable else logging.DEBUG,
        "ingested channel=%s ticket=%s message=%s redactions=%d",
        inbound.channel.value,
        receipt.ticket_number,
        receipt.message_id,
        len(receipt.redactions),
    )
    return receipt


def _raced(services: Services, inbound: Inbound, error: IntegrityError) -> Receipt:
    """Two deliveries of one message raced and the other committed first."""
    replayed = _replayed(services, inbound)
    if replayed is None:
        raise error
    return replayed


def _receipt(draft: Draft) -> Receipt:
    message, ticket = draft.message, draft.ticket
    assert message is not None and ticket is not None, "persist sets both"
    return Receipt(
        customer_id=ticket.customer_id,
        ticket_id=ticket.id,
        ticket_number=ticket.number or "",
        ticket=ticket,
        message_id=message.id,
        message=message,
        created_ticket=draft.created_ticket,
        redactions=tuple(
            Finding(str(f["kind"]), int(str(f["start"])), int(str(f["end"])))
            for f in draft.findings
        ),
        possible_duplicate_of=draft.possible_duplicate.number if draft.possible_duplicate else None,
        customer_tier=draft.customer.tier if draft.customer else None,
    )


def _replayed(services: Services, inbound: Inbound) -> Receipt | None:
    if inbound.external_id is None:
        return None
    with services.db.read() as session:
        return find_receipt(session, inbound.channel, inbound.external_id)


def publish_receipt(services: Services, receipt: Receipt) -> None:
    """Tell the agents' live views about a committed message (never a replay)."""
    if receipt.replayed:
        return
    services.live.publish(
        AGENTS,
        {
            "type": "ticket.created" if receipt.created_ticket else "message.created",
            "ticket": receipt.ticket_number,
            "message_id": receipt.message_id,
        },
    )
