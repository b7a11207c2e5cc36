"""Trust and security API: verify a channel, anti-phishing code, freezes, the registry."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel, Field

from kefu.audit import record_event
from kefu.errors import Forbidden
from kefu.exchange.client import AccountFacts, ApiKeyFacts, Transfer
from kefu.exchange.http import exchange_client
from kefu.i18n import t
from kefu.ingest.inbound import Sender
from kefu.services import Services
from kefu.trust.anti_phishing import set_anti_phishing_code
from kefu.trust.normalize import Kind
from kefu.trust.playbooks import (
    FREEZE,
    UNFREEZE,
    ActionOutcome,
    check_security_agent,
    check_verified,
    emergency_freeze,
    security_freeze,
)
from kefu.trust.registry import add_identity, list_identities, load_registry, remove_identity
from kefu.trust.unfreeze import UnfreezeView, approve_unfreeze, list_awaiting, request_unfreeze
from kefu.trust.verifier import Verdict, verify
from kefu.web.api.v1.schemas import StrictBody
from kefu.web.deps import AgentDep, CustomerDep, LanguageDep, ServicesDep
from kefu.web.ratelimits import client_address

router = APIRouter(tags=["trust and security"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)]
KindName = Literal["email", "domain", "website", "telegram", "x", "facebook", "phone", "agent_id"]
PLATFORM_NAMES = {"telegram": "Telegram", "x": "X", "facebook": "Facebook"}


class VerifyRequest(StrictBody):
    text: str = Field(min_length=1, max_length=2000)
    kind: KindName | None = None


class ReasonOut(BaseModel):
    code: str
    message: str


class VerdictOut(BaseModel):
    status: Literal["official", "not_official", "likely_impersonation", "unknown"]
    status_label: str
    kind: str | None
    normalized: str
    matched_official: str | None
    reasons: list[ReasonOut]


class AntiPhishingCode(StrictBody):
    code: str = Field(min_length=1, max_length=40)


class FreezeRequest(StrictBody):
    note: str = Field(default="", max_length=2000)


class SecurityActionRequest(StrictBody):
    reason: str = Field(min_length=1, max_length=500)
    ticket: str | None = Field(default=None, max_length=20)


class ActionOut(BaseModel):
    action_id: int
    action: Literal["freeze", "unfreeze"]
    uid: str
    status: Literal["done", "pending", "failed"]
    ticket: str | None
    exchange_ref: str | None
    replayed: bool
    message: str


class UnfreezeRequestOut(BaseModel):
    request_id: int
    uid: str
    reason: str
    status: Literal["awaiting_approval", "approved"]
    requested_by: int
    approved_by: int | None
    ticket: str | None
    action: ActionOut | None
    replayed: bool
    message: str


class UnfreezeRequestList(BaseModel):
    requests: list[UnfreezeRequestOut]


class TransferOut(BaseModel):
    asset: str
    amount: str
    network: str
    status: str
    tx_id: str | None
    address: str | None
    at: datetime


class ApiKeyOut(BaseModel):
    key_id: str
    label: str
    permissions: list[str]
    ip_whitelist: list[str]
    created_at: datetime
    last_used_at: datetime | None
    last_used_ip: str | None


class AccountOut(BaseModel):
    uid: str
    kyc_level: int
    status: Literal["active", "frozen", "closed"]
    frozen_reason: str | None
    frozen_at: datetime | None
    recent_deposits: list[TransferOut]
    recent_withdrawals: list[TransferOut]
    api_keys: list[ApiKeyOut] | None = None


class IdentityIn(StrictBody):
    kind: KindName
    value: str = Field(min_length=1, max_length=320)
    note: str = Field(default="", max_length=500)


class IdentityOut(BaseModel):
    id: int
    kind: str
    value: str
    display: str
    note: str


class IdentityList(BaseModel):
    identities: list[IdentityOut]


def check_verify_rate(request: Request) -> None:
    """KEFU_VERIFY_LIMIT_PER_IP checks per window per client address (API and page alike)."""
    services: Services = request.app.state.services
    limit = services.limits.verify_ip
    key = "ip:" + client_address(request)
    services.limiter.check(limit, key, message_key="hardening.verify_rate_limited")


def verdict_out(verdict: Verdict, lang: str) -> VerdictOut:
    return VerdictOut(
        status=verdict.status.value,
        status_label=t(f"trust.status.{verdict.status.value}", lang),
        kind=verdict.kind,
        normalized=verdict.normalized,
        matched_official=verdict.matched_official,
        reasons=[
            ReasonOut(code=r.code, message=t(f"trust.reason.{r.code}", lang, **_shown(r.params)))
            for r in verdict.reasons
        ],
    )


def _shown(params: dict[str, str]) -> dict[str, str]:
    platform = params.get("platform")
    return {**params, "platform": PLATFORM_NAMES.get(platform, platform)} if platform else params


@router.post("/api/v1/verify", response_model=VerdictOut)
def verify_channel(
    body: VerifyRequest, request: Request, services: ServicesDep, lang: LanguageDep
) -> VerdictOut:
    """Is this link, address, handle, number or agent id really ours? Rate-limited per IP."""
    check_verify_rate(request)
    verdict = verify(body.text, load_registry(services), Kind(body.kind) if body.kind else None)
    return verdict_out(verdict, lang)


@router.put("/api/v1/me/anti-phishing-code")
def put_anti_phishing_code(
    body: AntiPhishingCode, customer: CustomerDep, services: ServicesDep, lang: LanguageDep
) -> dict[str, str]:
    """Set the code shown at the top of every email (4–20 letters or digits; verified only)."""
    set_anti_phishing_code(services, customer.sender, body.code, lang)
    return {
        "anti_phishing_code": body.code.strip(),
        "message": t("trust.anti_phishing_saved", lang),
    }


@router.post("/api/v1/security/freeze", response_model=ActionOut)
def freeze_my_account(
    body: FreezeRequest,
    customer: CustomerDep,
    services: ServicesDep,
    lang: LanguageDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ActionOut:
    """Emergency freeze of the caller's own account (verified identity only).

    200 when the exchange froze it, 202 while retries continue or when the security team
    must act. Retrying with the same `Idempotency-Key` freezes once and opens one ticket.
    """
    sender = _with_language(customer.sender, lang)
    outcome = emergency_freeze(
        services, sender, note=body.note, key=idempotency_key or uuid.uuid4().hex, language=lang
    )
    return _action_out(outcome, lang, response)


@router.get("/api/v1/security/account", response_model=AccountOut)
def my_account(customer: CustomerDep, services: ServicesDep) -> AccountOut:
    """The caller's own account facts, live from the exchange (verified identity only)."""
    uid = check_verified(customer.sender)
    with exchange_client(services.settings) as client:
        return _account_out(client.account_facts(uid), None)


@router.get("/api/v1/security/accounts/{uid}", response_model=AccountOut)
def account_for_security(uid: str, agent: AgentDep, services: ServicesDep) -> AccountOut:
    """Account facts and API keys for the security team; every read is audited."""
    check_security_agent(agent)
    with services.db.write() as session:
        record_event(session, "security.account_viewed", agent.actor(), uid=uid)
    with exchange_client(services.settings) as client:
        return _account_out(client.account_facts(uid), client.api_keys(uid))


@router.post("/api/v1/security/accounts/{uid}/freeze", response_model=ActionOut)
def freeze_account(
    uid: str,
    body: SecurityActionRequest,
    agent: AgentDep,
    services: ServicesDep,
    lang: LanguageDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ActionOut:
    """Security role only; `reason` is required and audited."""
    outcome = security_freeze(
        services,
        agent,
        uid,
        reason=body.reason,
        key=idempotency_key or uuid.uuid4().hex,
        ticket_number=body.ticket,
    )
    return _action_out(outcome, lang, response)


@router.post(
    "/api/v1/security/accounts/{uid}/unfreeze", status_code=202, response_model=UnfreezeRequestOut
)
def unfreeze_account(
    uid: str,
    body: SecurityActionRequest,
    agent: AgentDep,
    services: ServicesDep,
    lang: LanguageDep,
    idempotency_key: IdempotencyKey = None,
) -> UnfreezeRequestOut:
    """Security role only: records the request (202 `awaiting_approval`); nothing is
    unfrozen until a different security agent approves it."""
    view = request_unfreeze(
        services,
        agent,
        uid,
        reason=body.reason,
        key=idempotency_key or uuid.uuid4().hex,
        ticket_number=body.ticket,
    )
    return _unfreeze_out(view, lang)


@router.get("/api/v1/security/unfreeze-requests", response_model=UnfreezeRequestList)
def unfreeze_requests(
    agent: AgentDep, services: ServicesDep, lang: LanguageDep
) -> UnfreezeRequestList:
    """Unfreeze requests awaiting a second approval (security role only)."""
    return UnfreezeRequestList(
        requests=[_unfreeze_out(view, lang) for view in list_awaiting(services, agent)]
    )


@router.post(
    "/api/v1/security/unfreeze-requests/{request_id}/approve", response_model=UnfreezeRequestOut
)
def approve_unfreeze_request(
    request_id: int, agent: AgentDep, services: ServicesDep, lang: LanguageDep, response: Response
) -> UnfreezeRequestOut:
    """A security agent other than the requester approves; the exchange unfreezes once.
    403 for the requester themself. 200 when unfrozen, 202 while retries continue."""
    view = approve_unfreeze(services, agent, request_id)
    if view.action is None or view.action.status != "done":
        response.status_code = 202
    return _unfreeze_out(view, lang)


@router.get("/api/v1/trust/identities", response_model=IdentityList)
def official_identities(services: ServicesDep) -> IdentityList:
    """The official channels: public, like the exchange's own "official channels" page."""
    load_registry(services)  # a demo deployment seeds its registry on first use
    with services.db.read() as session:
        return IdentityList(identities=[_identity_out(row) for row in list_identities(session)])


@router.post("/api/v1/trust/identities", status_code=201, response_model=IdentityOut)
def add_official_identity(body: IdentityIn, agent: AgentDep, services: ServicesDep) -> IdentityOut:
    """Admins and the security team maintain the registry; changes are audited."""
    _check_registry_editor(agent.role, agent.agent_id)
    with services.db.write() as session:
        row = add_identity(session, body.kind, body.value, body.note, agent.actor())
        return _identity_out(row)


@router.delete("/api/v1/trust/identities/{identity_id}", status_code=204)
def delete_official_identity(identity_id: int, agent: AgentDep, services: ServicesDep) -> Response:
    _check_registry_editor(agent.role, agent.agent_id)
    with services.db.write() as session:
        remove_identity(session, identity_id, agent.actor())
    return Response(status_code=204)


def _check_registry_editor(role: str, agent_id: int | None) -> None:
    if agent_id is None or role not in ("admin", "security"):
        raise Forbidden()


def _with_language(sender: Sender, lang: str) -> Sender:
    if sender.language:
        return sender
    return Sender(sender.trust, sender.uid, sender.email, sender.name, sender.handle, lang)


def _action_out(outcome: ActionOutcome, lang: str, response: Response) -> ActionOut:
    if outcome.status != "done":
        response.status_code = 202
    status = outcome.status if outcome.status in ("done", "pending") else "failed"
    key = f"trust.{outcome.action}_{status}"  # trust.freeze_done, trust.unfreeze_pending …
    return ActionOut(
        action_id=outcome.action_id,
        action=FREEZE if outcome.action == FREEZE else UNFREEZE,
        uid=outcome.uid,
        status="done" if outcome.status == "done" else _open_status(outcome.status),
        ticket=outcome.ticket_number,
        exchange_ref=outcome.exchange_ref,
        replayed=outcome.replayed,
        message=t(key, lang, number=outcome.ticket_number or "-", uid=outcome.uid),
    )


def _open_status(status: str) -> Literal["pending", "failed"]:
    return "pending" if status == "pending" else "failed"


def _account_out(facts: AccountFacts, keys: tuple[ApiKeyFacts, ...] | None) -> AccountOut:
    return AccountOut(
        uid=facts.uid,
        kyc_level=facts.kyc_level,
        status=facts.status.value,
        frozen_reason=facts.frozen_reason,
        frozen_at=facts.frozen_at,
        recent_deposits=[_transfer_out(x) for x in facts.deposits],
        recent_withdrawals=[_transfer_out(x) for x in facts.withdrawals],
        api_keys=None if keys is None else [_key_out(k) for k in keys],
    )


def _transfer_out(item: Transfer) -> TransferOut:
    return TransferOut(
        asset=item.asset,
        amount=item.amount,
        network=item.network,
        status=item.status,
        tx_id=item.tx_id,
        address=item.address,
        at=item.at,
    )


def _key_out(key: ApiKeyFacts) -> ApiKeyOut:
    return ApiKeyOut(
        key_id=key.key_id,
        label=key.label,
        permissions=list(key.permissions),
        ip_whitelist=list(key.ip_whitelist),
        created_at=key.created_at,
        last_used_at=key.last_used_at,
        last_used_ip=key.last_used_ip,
    )


def _identity_out(row: object) -> IdentityOut:
    return IdentityOut.model_validate(row, from_attributes=True)


def _unfreeze_out(view: UnfreezeView, lang: str) -> UnfreezeRequestOut:
    action = _action_out(view.action, lang, Response()) if view.action else None
    awaiting = t("trust.unfreeze_awaiting", lang, id=view.request_id)
    return UnfreezeRequestOut(
        request_id=view.request_id,
        uid=view.uid,
        reason=view.reason,
        status="approved" if view.status == "approved" else "awaiting_approval",
        requested_by=view.requested_by,
        approved_by=view.approved_by,
        ticket=view.ticket_number,
        action=action,
        replayed=view.replayed,
        message=action.message if action else awaiting,
    )
