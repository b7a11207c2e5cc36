"""All tables, one module per area; Alembic sees one metadata (`Base.metadata`)."""

from kefu.store.models.audit import Event
from kefu.store.models.base import Base
from kefu.store.models.jobs import OutboxJob
from kefu.store.models.people import (
    Agent,
    AgentSession,
    ApiToken,
    Customer,
    CustomerLink,
    Team,
)
from kefu.store.models.tickets import Attachment, Message, Ticket

__all__ = [
    "Agent",
    "AgentSession",
    "ApiToken",
    "Attachment",
    "Base",
    "Customer",
    "CustomerLink",
    "Event",
    "Message",
    "OutboxJob",
    "Team",
    "Ticket",
]
