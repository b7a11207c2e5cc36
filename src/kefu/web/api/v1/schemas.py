"""Wire shapes of API v1. Unknown fields are refused (422 naming the field)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from annotated_types import Interval
from pydantic import BaseModel, ConfigDict, Field

from kefu.store.ids import MAX_ROW_ID
from kefu.store.models import Attachment, Message, Ticket

CategorySlug = Literal[
    "getting_started",
    "account",
    "deposit_withdrawal",
    "trading",
    "futures",
    "earn_loans",
    "security",
    "api",
    "listing_business",
]
StatusName = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
PriorityName = Literal["low", "normal", "high", "urgent"]
# An id sent by a client (path, query or body): one a row can have, else 422.
RowId = Annotated[int, Interval(ge=1, le=MAX_ROW_ID)]


class StrictBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TicketCreate(StrictBody):
    category: CategorySlug
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20_000)
    language: Literal["zh-Hans", "en"] | None = None


class MessageCreate(StrictBody):
    body: str = Field(min_length=1, max_length=20_000)


class AgentReply(StrictBody):
    body: str = Field(min_length=1, max_length=50_000)
    internal: bool = False
    status: StatusName | None = None  # send-and-set-status
    # The newest message the agent had seen: a newer customer message makes this a 409
    # `stale_view` unless `confirm_stale` is set (collision safety).
    seen_message_id: RowId | None = None
    confirm_stale: bool = False


class TicketUpdate(StrictBody):
    status: StatusName | None = None
    priority: PriorityName | None = None
    category: CategorySlug | None = None
    team: str | None = Field(default=None, max_length=40)
    assignee_id: RowId | None = None
    unassign: bool = False
    tags: list[str] | None = Field(default=None, max_length=30)


class Redaction(BaseModel):
    kind: str
    field: str | None = None


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    status: str


class MessageOut(BaseModel):
    id: int
    author: str
    visibility: str
    channel: str
    body: str
    created_at: datetime
    redactions: list[Redaction]
    attachments: list[AttachmentOut]


class ExpectedReply(BaseModel):
    """The honest first-reply promise, given when a ticket is opened."""

    policy: str
    minutes: int
    around_the_clock: bool
    business_hours: str
    text: str


class TicketOut(BaseModel):
    number: str
    status: StatusName
    priority: PriorityName
    category: CategorySlug | None
    subject: str
    channel: str
    language: str
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    possible_duplicate_of: str | None = None
    expected_reply: ExpectedReply | None = None


class TicketDetail(TicketOut):
    messages: list[MessageOut]


class AgentTicketOut(TicketOut):
    team_id: int | None
    assignee_id: int | None
    customer_id: int
    tags: list[str]


class AgentTicketDetail(AgentTicketOut):
    messages: list[MessageOut]


class TicketList(BaseModel):
    tickets: list[TicketOut]


class AgentTicketList(BaseModel):
    tickets: list[AgentTicketOut]
    total: int


def ticket_out(ticket: Ticket, duplicate_number: str | None = None) -> TicketOut:
    return TicketOut.model_validate(_ticket_fields(ticket, duplicate_number))


def agent_ticket_out(ticket: Ticket) -> AgentTicketOut:
    return AgentTicketOut.model_validate(
        {
            **_ticket_fields(ticket, None),
            "team_id": ticket.team_id,
            "assignee_id": ticket.assignee_id,
            "customer_id": ticket.customer_id,
            "tags": list(ticket.tags or []),
        }
    )


def message_out(message: Message, attachments: list[Attachment]) -> MessageOut:
    return MessageOut(
        id=message.id,
        author=message.author_kind,
        visibility=message.visibility,
        channel=message.channel,
        body=message.body_text,
        created_at=message.created_at,
        redactions=[Redaction(kind=r["kind"], field=r.get("field")) for r in message.redactions],
        attachments=[
            AttachmentOut(
                id=a.id,
                filename=a.filename,
                content_type=a.content_type,
                size=a.size,
                status=a.status,
            )
            for a in attachments
        ],
    )


def _ticket_fields(ticket: Ticket, duplicate_number: str | None) -> dict[str, object]:
    return {
        "number": ticket.number,
        "status": ticket.status,
        "priority": ticket.priority,
        "category": ticket.category,
        "subject": ticket.subject,
        "channel": ticket.channel,
        "language": ticket.language,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "solved_at": ticket.solved_at,
        "possible_duplicate_of": duplicate_number,
    }
