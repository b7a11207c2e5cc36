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
    # Exporting customer data in bulk: a separate permission (issue #9, insider controls).
    EXPORT = "export"


ALL_SCOPES = frozenset(Scope)
# Signed-in agents get every scope except `export`, which only these roles hold.
EXPORT_ROLES = frozenset({Role.LEAD, Role.ADMIN})


def scopes_for_role(role: str) -> frozenset[str]:
    """The scopes a signed-in agent of `role` acts with."""
    scopes = {scope.value for scope in Scope if scope is not Scope.EXPORT}
    if role in EXPORT_ROLES:
        scopes.add(Scope.EXPORT.value)
    return frozenset(scopes)
