"""Agent roles and API-token scopes."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"
    SECURITY = "security"


class Scope(StrEnum):
    TICKETS_READ = "tickets:read"
    TICKETS_WRITE = "tickets:write"
    CUSTOMERS_READ = "customers:read"


ALL_SCOPES = frozenset(Scope)
