"""Who is chatting: the identity token (verified UID) or an anonymous visitor, and the
signed session token that lets the widget resume its conversation on any server."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from kefu.auth.customer_tokens import verify_identity_token
from kefu.auth.secrets import sign_value, unsign_value
from kefu.errors import NotAuthenticated
from kefu.i18n import normalize_language
from kefu.ingest.inbound import Sender, Trust
from kefu.settings import Settings

ANONYMOUS_DOMAIN = "chat.invalid"  # RFC 2606: never deliverable, never an account email


@dataclass(frozen=True)
class Visitor:
    key: str  # the conversation's random id, inside the session token
    sender: Sender
    language: str
    notice: str | None = None  # a message key to show: guest mode, or a rejected token

    @property
    def uid(self) -> str | None:
        return self.sender.uid if self.sender.trust is Trust.VERIFIED else None

    @property
    def is_anonymous(self) -> bool:
        return self.sender.trust is not Trust.VERIFIED


def new_visitor_key() -> str:
    return secrets.token_hex(12)


def session_token(settings: Settings, visitor_key: str) -> str:
    return sign_value(f"chat.{visitor_key}", settings.resolved_secret_key())


def visitor_key_from(settings: Settings, token: str | None) -> str | None:
    if not token:
        return None
    value = unsign_value(token, settings.resolved_secret_key())
    if value is None or not value.startswith("chat."):
        return None
    return value.removeprefix("chat.")


def identify_visitor(
    settings: Settings, identity_token: str | None, visitor_key: str, language: str | None
) -> Visitor:
    """A forged or expired token is not an error: the visitor chats as a guest and is told."""
    lang = normalize_language(language or settings.default_language)
    if identity_token:
        try:
            identity = verify_identity_token(identity_token, settings.resolved_identity_secret())
        except NotAuthenticated:
            return _guest(visitor_key, lang, "chat.token_invalid")
        sender = Sender(
            trust=Trust.VERIFIED,
            uid=identity.uid,
            email=identity.email,
            name=identity.name,
            language=lang,
        )
        return Visitor(visitor_key, sender, lang)
    return _guest(visitor_key, lang, "chat.anonymous")


def _guest(visitor_key: str, lang: str, notice: str) -> Visitor:
    # identify() finds an unverified customer by email only: this address keeps every
    # message of one guest conversation on one customer, and can never receive mail.
    sender = Sender(
        trust=Trust.ANONYMOUS, email=f"visitor-{visitor_key}@{ANONYMOUS_DOMAIN}", language=lang
    )
    return Visitor(visitor_key, sender, lang, notice)
