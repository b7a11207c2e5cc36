"""Agent sign-in (password + TOTP), sessions and integration API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kefu.audit import Actor, record_event
from kefu.auth.passwords import hash_password, verify_password
from kefu.auth.roles import Role, Scope, scopes_for_role
from kefu.auth.secrets import new_token, token_hash
from kefu.auth.totp import accepted_step, new_totp_secret
from kefu.errors import NotAuthenticated, UserError
from kefu.store.models import Agent, AgentSession, ApiToken
from kefu.store.models.base import utcnow
from kefu.tickets.teams import team_id

SESSION_LIFETIME = timedelta(hours=12)
API_TOKEN_PREFIX = "kf_"  # noqa: S105 - a prefix, not a secret


@dataclass(frozen=True)
class AgentPrincipal:
    """An authenticated agent, or an API token acting with its scopes."""

    agent_id: int | None
    role: str
    scopes: frozenset[str]
    token_id: int | None = None

    def actor(self) -> Actor:
        return Actor("agent", self.agent_id) if self.agent_id else Actor("api", self.token_id)


def create_agent(
    session: Session, email: str, name: str, password: str, role: str, team_slug: str | None
) -> Agent:
    if len(password) < 10:
        raise UserError("error.validation", field="password", detail="≥ 10 characters")
    team = team_id(session, team_slug)
    agent = Agent(
        email=email.strip().lower(),
        name=name,
        password_hash=hash_password(password),
        totp_secret=new_totp_secret(),
        role=Role(role).value,
        team_id=team,
    )
    session.add(agent)
    session.flush()
    return agent


def check_password(session: Session, email: str, password: str) -> Agent:
    """The active agent with these credentials (first factor), or NotAuthenticated."""
    agent = session.scalars(select(Agent).where(Agent.email == email.strip().lower())).first()
    valid = verify_password(agent.password_hash if agent else None, password)
    if agent is None or not valid or not agent.is_active:
        raise NotAuthenticated("error.login_failed")
    return agent


def check_totp(session: Session, agent: Agent, code: str) -> None:
    """Second factor; a code is accepted once (replays fail)."""
    step = accepted_step(agent.totp_secret, code, agent.last_totp_step)
    if step is None:
        record_event(session, "agent.login_failed", Actor("agent", agent.id), reason="totp")
        raise NotAuthenticated("error.login_failed")
    agent.last_totp_step = step
    agent.totp_confirmed = True


def start_session(session: Session, agent: Agent) -> str:
    token = new_token()
    session.add(
        AgentSession(
            agent_id=agent.id,
            token_hash=token_hash(token),
            expires_at=utcnow() + SESSION_LIFETIME,
        )
    )
    record_event(session, "agent.login", Actor("agent", agent.id))
    return token


def end_session(session: Session, token: str) -> None:
    row = session.scalars(
        select(AgentSession).where(AgentSession.token_hash == token_hash(token))
    ).first()
    if row is not None:
        session.delete(row)


def principal_for_session(session: Session, token: str) -> AgentPrincipal | None:
    row = session.execute(
        select(Agent.id, Agent.role, Agent.is_active, AgentSession.expires_at)
        .join(AgentSession, AgentSession.agent_id == Agent.id)
        .where(AgentSession.token_hash == token_hash(token))
    ).first()
    if row is None or not row.is_active or row.expires_at < utcnow():
        return None
    return AgentPrincipal(agent_id=row.id, role=row.role, scopes=scopes_for_role(row.role))


def create_api_token(session: Session, name: str, scopes: list[str]) -> str:
    """A new integration token; only its hash is kept, so show it once."""
    checked = sorted(Scope(s).value for s in scopes)
    token = new_token(API_TOKEN_PREFIX)
    session.add(ApiToken(name=name, token_hash=token_hash(token), scopes=checked))
    return token


def principal_for_api_token(session: Session, token: str) -> AgentPrincipal | None:
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    return AgentPrincipal(
        agent_id=row.agent_id, role=Role.AGENT.value, scopes=frozenset(row.scopes), token_id=row.id
    )
