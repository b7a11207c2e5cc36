"""THE path for every customer message: dedupe → shield → identify → thread → triage → persist.

Every channel builds an `Inbound` and calls `ingest()`; nothing else writes customer
messages. The steps run in one write transaction; the channel is told "accepted"
only after it commits, and live events go out only after that (react).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kefu.ingest.draft import Draft, Receipt
from kefu.ingest.inbound import Inbound
from kefu.ingest.steps.dedupe import dedupe, find_receipt
from kefu.ingest.steps.identify import identify
from kefu.ingest.steps.persist import persist
from kefu.ingest.steps.shield import shield
from kefu.ingest.steps.thread import thread
from kefu.ingest.steps.triage import triage
from kefu.ingest.stops import Duplicate
from kefu.live.events import AGENTS
from kefu.services import Services
from kefu.shield import Finding

log = logging.getLogger(__name__)

Step = Callable[[Session, Services, Draft], None]
STEPS: tuple[Step, ...] = (dedupe, shield, identify, thread, triage, persist)


def ingest(services: Services, inbound: Inbound) -> Receipt:
    """Persist `inbound` exactly once and return what the channel should tell the sender."""
    try:
        receipt = _run_steps(services, inbound)
    except Duplicate as stop:
        return stop.receipt
    except IntegrityError:
        # Two deliveries of one message raced and the other committed first.
        replayed = _replayed(services, inbound)
        if replayed is None:
            raise
        return replayed
    _publish(services, receipt)
    return receipt


def _run_steps(services: Services, inbound: Inbound) -> Receipt:
    draft = Draft(inbound=inbound)
    with services.db.write() as session:
        for step in STEPS:
            step(session, services, draft)
        receipt = _receipt(draft)
    log.info(
        "ingested channel=%s ticket=%s message=%s redactions=%d",
        inbound.channel.value,
        receipt.ticket_number,
        receipt.message_id,
        len(receipt.redactions),
    )
    return receipt


def _receipt(draft: Draft) -> Receipt:
    message, ticket = draft.message, draft.ticket
    assert message is not None and ticket is not None, "persist sets both"
    return Receipt(
        customer_id=ticket.customer_id,
        ticket_id=ticket.id,
        ticket_number=ticket.number or "",
        ticket=ticket,
        message_id=message.id,
        created_ticket=draft.created_ticket,
        redactions=tuple(
            Finding(str(f["kind"]), int(str(f["start"])), int(str(f["end"])))
            for f in draft.findings
        ),
        possible_duplicate_of=draft.possible_duplicate.number if draft.possible_duplicate else None,
    )


def _replayed(services: Services, inbound: Inbound) -> Receipt | None:
    if inbound.external_id is None:
        return None
    with services.db.read() as session:
        return find_receipt(session, inbound.channel, inbound.external_id)


def _publish(services: Services, receipt: Receipt) -> None:
    services.live.publish(
        AGENTS,
        {
            "type": "ticket.created" if receipt.created_ticket else "message.created",
            "ticket": receipt.ticket_number,
            "message_id": receipt.message_id,
        },
    )
