"""What the steps build up while a message goes through the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kefu.ingest.inbound import Inbound, Trust
from kefu.shield import Finding

if TYPE_CHECKING:
    from kefu.shield.attachments import AttachmentVerdict
    from kefu.store.models import Message, Ticket


@dataclass(frozen=True)
class CustomerRef:
    """The columns of a customer the pipeline needs (a row, not an ORM object)."""

    id: int
    uid: str | None
    email: str | None
    name: str
    language: str
    verification: str
    tier: str = "regular"


@dataclass(frozen=True)
class TicketRef:
    id: int
    number: str


@dataclass
class CheckedAttachment:
    filename: str
    content_id: str | None
    verdict: AttachmentVerdict


@dataclass
class Draft:
    """Mutable working state; each step reads what earlier steps set."""

    inbound: Inbound
    subject: str = ""
    text: str = ""
    html: str | None = None
    language: str = "zh-Hans"
    findings: list[dict[str, object]] = field(default_factory=list)
    attachments: list[CheckedAttachment] = field(default_factory=list)
    customer: CustomerRef | None = None
    trust: Trust = Trust.ANONYMOUS
    ticket: Ticket | None = None  # set by thread when this continues a conversation
    follow_up_of: Ticket | None = None  # a closed ticket this message follows up
    category: str | None = None
    priority: str = "normal"
    team_slug: str | None = None
    possible_duplicate: TicketRef | None = None
    message: Message | None = None  # set by persist: the row as inserted, outside the session
    created_ticket: bool = False
    search_terms: tuple[tuple[str, str], ...] = ()  # (text, terms), computed by `prepare`


@dataclass(frozen=True)
class Receipt:
    """What the channel is told once the message is committed."""

    ticket_id: int
    ticket_number: str
    message_id: int
    customer_id: int
    created_ticket: bool
    ticket: Ticket | None = None  # the ticket row as committed (detached), for the reply
    message: Message | None = None  # the message as inserted (not in the session); None if replayed
    replayed: bool = False  # a retry of something already ingested
    redactions: tuple[Finding, ...] = ()
    possible_duplicate_of: str | None = None
    customer_tier: str | None = None  # for the SLA promise (None: look it up)
