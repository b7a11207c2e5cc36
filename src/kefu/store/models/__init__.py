"""All tables, one module per area; Alembic sees one metadata (`Base.metadata`)."""

from kefu.store.models.audit import Event
from kefu.store.models.automation import AutomationRule
from kefu.store.models.base import Base
from kefu.store.models.chat import ChatSession, ChatUpload
from kefu.store.models.csat import SatisfactionRating, SurveySettings
from kefu.store.models.hardening import AgentLockout
from kefu.store.models.insider import AccessAlert, CustomerView, FieldReveal
from kefu.store.models.jobs import OutboxJob
from kefu.store.models.kb import (
    Article,
    ArticleRevision,
    ArticleTranslation,
    ArticleVote,
    HelpSignal,
)
from kefu.store.models.people import (
    Agent,
    AgentSession,
    ApiToken,
    Customer,
    CustomerLink,
    Team,
)
from kefu.store.models.tickets import Attachment, Message, Ticket
from kefu.store.models.trust import AccountAction, OfficialIdentity, UnfreezeRequest
from kefu.store.models.work import (
    AgentAvailability,
    BusinessCalendar,
    SlaClock,
    SlaPolicy,
    TeamAssignment,
)
from kefu.store.models.workspace import Macro, SavedView, TicketViewer

__all__ = [
    "AccessAlert",
    "AccountAction",
    "Agent",
    "AgentAvailability",
    "AgentLockout",
    "AgentSession",
    "ApiToken",
    "Article",
    "ArticleRevision",
    "ArticleTranslation",
    "ArticleVote",
    "Attachment",
    "AutomationRule",
    "Base",
    "BusinessCalendar",
    "ChatSession",
    "ChatUpload",
    "Customer",
    "CustomerLink",
    "CustomerView",
    "Event",
    "FieldReveal",
    "HelpSignal",
    "Macro",
    "Message",
    "OfficialIdentity",
    "OutboxJob",
    "SatisfactionRating",
    "SavedView",
    "SlaClock",
    "SlaPolicy",
    "SurveySettings",
    "Team",
    "TeamAssignment",
    "Ticket",
    "TicketViewer",
    "UnfreezeRequest",
]
