"""The normalised value every channel builds from what it receives.

Nothing here knows a wire format: the email channel, the chat socket, the portal form
and the REST API all turn their input into an `Inbound` and call `ingest()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    WEB = "web"  # the customer portal form
    API = "api"  # REST API v1 called by the exchange or an integration
    EMAIL = "email"
    CHAT = "chat"
    TELEGRAM = "telegram"
    X = "x"
    MESSENGER = "messenger"


class Trust(StrEnum):
    """How sure we are of who is writing (see DESIGN.md, identify)."""

    VERIFIED = "verified"  # signed identity token, or DKIM/SPF-passing mail matching the account
    CLAIMED = "claimed"  # a UID or email typed in, not proven
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Sender:
    """Who the channel says is writing, before the identify step looks them up."""

    trust: Trust
    uid: str | None = None
    email: str | None = None
    name: str | None = None
    handle: str | None = None  # social handle, e.g. "telegram:123456"
    language: str | None = None
    # The channel proved this sender controls `email` (an aligned DKIM pass). Identify
    # makes that `verified` only when `email` is the account email of a verified customer.
    email_proven: bool = False


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    declared_type: str
    data: bytes
    content_id: str | None = None


@dataclass(frozen=True)
class Inbound:
    """One customer message as received, channel-neutral.

    `external_id` is the channel's own id for this message (Message-ID, Telegram
    update_id, the widget's client message id, an Idempotency-Key): the dedupe step
    uses it so that a retry never creates a second message.
    """

    channel: Channel
    sender: Sender
    body_text: str
    external_id: str | None = None
    subject: str = ""
    body_html: str | None = None
    category: str | None = None
    ticket_number: str | None = None  # the customer says which ticket this continues
    thread_refs: tuple[str, ...] = ()  # In-Reply-To / References / social thread ids
    mailbox: str | None = None  # the address or account it was sent to
    attachments: tuple[InboundAttachment, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    # A ticket number the channel found (an email subject): continues that ticket only
    # when it is the sender's own, and is ignored otherwise (unlike `ticket_number`).
    ticket_hint: str | None = None
    team: str | None = None  # the channel routes a new ticket to this team (a mailbox's)
    priority_floor: str | None = None  # the least priority a new ticket gets (a mailbox's)
    # False: stored and shown to agents, but never answered automatically (loop protection).
    auto_respond: bool = True
    tags: tuple[str, ...] = ()  # kept on the message, and on the ticket it opens
