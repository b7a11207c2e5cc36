"""One received email → `Inbound` → `ingest()`: shared by the SMTP listener and IMAP poller.

`EmailReceiver.receive(raw)` (and `receive_async` on the SMTP listener's event loop, where
concurrent deliveries share a commit) returns only after the message is committed (or was
already committed: the same Message-ID twice is one message). It raises `TemporaryFailure` when
the database is down or locked, so the caller tells the sender to retry (SMTP 451) or
leaves the IMAP message unseen. Any other failure is not retried forever: the raw
message is stored as `original.eml` on an "unprocessable" ticket that agents see.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from email.parser import BytesHeaderParser
from email.policy import compat32
from html import escape

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from kefu.channels.email.authenticity import SenderAuth, TxtResolver, check_sender
from kefu.channels.email.loops import RATE_LIMITED, machine_tags, over_rate, recent_messages
from kefu.channels.email.mailboxes import Mailbox, Mailboxes, load_mailboxes
from kefu.channels.email.notify import ticket_of_our_email
from kefu.channels.email.parse import ParsedEmail, parse_email
from kefu.channels.email.quotes import split_quoted_reply
from kefu.i18n import t
from kefu.ingest.draft import Receipt
from kefu.ingest.inbound import Channel, Inbound, InboundAttachment, Sender, Trust
from kefu.ingest.pipeline import ingest, ingest_async
from kefu.services import Services
from kefu.store.models import Customer
from kefu.tickets.numbers import find_ticket_number

log = logging.getLogger(__name__)

BODY_LIMIT = 200_000  # characters of text shown inline; the whole text is attached beyond
HTML_LIMIT = 2_000_000  # characters of HTML kept as the message's HTML
MAX_REFS = 20
BOUNCE_OF = "bounce_of"  # metadata: the Message-ID of the email a bounce returns
_RETURNED_PARTS = ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,296}>")
# The database is down, locked or out of connections; the disk is full: retry later.
TEMPORARY_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, OSError)


class TemporaryFailure(Exception):
    """Nothing was stored and retrying later can succeed."""


@dataclass(frozen=True)
class Checked:
    """What the channel learnt about one email before the pipeline sees it."""

    parsed: ParsedEmail
    auth: SenderAuth
    tags: tuple[str, ...]
    external_id: str


@dataclass(frozen=True)
class Prepared:
    raw: bytes
    box: Mailbox
    external_id: str
    inbound: Inbound | None  # None: the email could not be read; keep it as unprocessable
    tags: tuple[str, ...] = ()  # the caller's own tags, kept on the unprocessable one too

    def unprocessable(self) -> Inbound:
        return unprocessable_inbound(self.raw, self.box, self.external_id, self.tags)

    def tagged(self, *tags: str) -> Prepared:
        if self.inbound is None:
            return self
        return replace(self, inbound=with_tags(self.inbound, tags))


class EmailReceiver:
    """Receives raw emails for the configured mailboxes. Thread-safe."""

    def __init__(self, services: Services, resolver: TxtResolver) -> None:
        self.services = services
        self.resolver = resolver
        self.mailboxes: Mailboxes = load_mailboxes(services.settings)

    def receive(
        self,
        raw: bytes,
        recipients: Sequence[str] = (),
        *,
        mailbox: Mailbox | None = None,
        tags: tuple[str, ...] = (),
    ) -> Receipt:
        return self.deliver(self.prepare(raw, recipients, mailbox=mailbox, tags=tags))[0]

    def deliver(self, prepared: Prepared) -> tuple[Receipt, Inbound]:
        """Ingest `prepared`, or its raw email as unprocessable when that fails: the receipt
        and what was stored."""
        if prepared.inbound is not None:
            try:
                return ingest(self.services, prepared.inbound), prepared.inbound
            except Exception as exc:
                self._not_ingested(exc, prepared.external_id)
        unprocessable = prepared.unprocessable()
        try:
            return ingest(self.services, unprocessable), unprocessable
        except TEMPORARY_ERRORS as exc:
            raise TemporaryFailure(type(exc).__name__) from exc

    async def receive_async(self, raw: bytes, recipients: Sequence[str] = ()) -> Receipt:
        """`receive` for an event loop (the SMTP listener): the checks run in a thread, the
        write in the loop's writer lane, where concurrent deliveries share a commit."""
        loop = asyncio.get_running_loop()
        prepared = await loop.run_in_executor(None, self.prepare, raw, recipients)
        if prepared.inbound is not None:
            try:
                return await ingest_async(self.services, prepared.inbound)
            except Exception as exc:
                self._not_ingested(exc, prepared.external_id)
        try:
            return await ingest_async(self.services, prepared.unprocessable())
        except TEMPORARY_ERRORS as exc:
            raise TemporaryFailure(type(exc).__name__) from exc

    def prepare(
        self,
        raw: bytes,
        recipients: Sequence[str] = (),
        *,
        mailbox: Mailbox | None = None,
        tags: tuple[str, ...] = (),
    ) -> Prepared:
        """Parse and check: the `Inbound`, or None when the email cannot be read as one."""
        prepared = self.read(raw, recipients, mailbox=mailbox, tags=tags)
        inbound = prepared.inbound
        if inbound is None:
            return prepared
        sender = inbound.sender.email
        try:
            with self.services.db.read() as session:
                earlier = recent_messages(
                    session, self.services.settings, [sender] if sender else []
                )
                inbound = self.thread_bounce(session, inbound)
        except Exception as exc:
            self._not_ingested(exc, prepared.external_id)
            return replace(prepared, inbound=None)
        prepared = replace(prepared, inbound=inbound)
        if sender and over_rate(earlier.get(sender, 0), self.services.settings):
            return prepared.tagged(RATE_LIMITED)
        return prepared

    def thread_bounce(self, session: Session, inbound: Inbound) -> Inbound:
        """A bounce of an email we sent joins that email's ticket, as a message about its
        customer's address: the thread step takes it for the customer's own ticket."""
        returned = inbound.metadata.get(BOUNCE_OF)
        if not returned:
            return inbound
        ticket = ticket_of_our_email(session, self.services, returned)
        customer = session.get(Customer, ticket.customer_id) if ticket is not None else None
        if ticket is None or customer is None or not customer.email:
            return inbound
        return replace(
            inbound,
            sender=Sender(trust=Trust.CLAIMED, email=customer.email),
            ticket_hint=ticket.number,
            thread_refs=(returned,),
        )

    def read(
        self,
        raw: bytes,
        recipients: Sequence[str] = (),
        *,
        mailbox: Mailbox | None = None,
        tags: tuple[str, ...] = (),
    ) -> Prepared:
        """`prepare` without the database (so it can run in another process): everything
        but the sender's rate, which the caller checks (`recent_messages`)."""
        parsed = parse_email(raw)
        box = mailbox or self.mailboxes.choose(list(recipients) or [*parsed.to, *parsed.cc])
        external_id = email_external_id(parsed.message_id, raw)
        if _not_an_email(parsed):
            log.error("email %s has no header fields; storing it as unprocessable", external_id)
            return Prepared(raw, box, external_id, None, tags)
        try:
            checked = self._check(raw, parsed, external_id, tags)
            return Prepared(raw, box, external_id, to_inbound(checked, box), tags)
        except Exception as exc:
            self._not_ingested(exc, external_id)
        return Prepared(raw, box, external_id, None, tags)

    def _not_ingested(self, exc: Exception, external_id: str) -> None:
        """A temporary failure is the sender's to retry; anything else is logged and the
        raw email kept as unprocessable."""
        if isinstance(exc, TEMPORARY_ERRORS):
            raise TemporaryFailure(type(exc).__name__) from exc
        # Never the exception text: SQL errors carry the message body as parameters.
        log.error(
            "email %s could not be ingested (%s); storing it as unprocessable",
            external_id,
            type(exc).__name__,
        )

    def _check(
        self, raw: bytes, parsed: ParsedEmail, external_id: str, extra: tuple[str, ...]
    ) -> Checked:
        settings = self.services.settings
        auth = check_sender(raw, parsed, self.resolver, settings.email_trusted_authserv_ids)
        tags = machine_tags(self.mailboxes, parsed)
        if "@" not in parsed.from_address or any("parser failure" in d for d in parsed.defects):
            tags += ("malformed",)
        return Checked(parsed, auth, (*extra, *tags), external_id)


def to_inbound(checked: Checked, box: Mailbox) -> Inbound:
    parsed, auth = checked.parsed, checked.auth
    address = _clean(parsed.from_address).lower() if "@" in parsed.from_address else ""
    sender = Sender(
        trust=Trust.CLAIMED if address else Trust.ANONYMOUS,
        email=address or None,
        name=_clean(parsed.from_name)[:200] or None,
        email_proven=bool(address) and auth.proves_from,
    )
    text, html, extra_files = _bodies(parsed)
    subject = _clean(parsed.subject or "").strip()
    return Inbound(
        channel=Channel.EMAIL,
        sender=sender,
        subject=subject,
        body_text=text,
        body_html=html,
        external_id=checked.external_id,
        thread_refs=_thread_refs(parsed),
        ticket_hint=find_ticket_number(subject),
        mailbox=box.address,
        team=box.team,
        priority_floor=box.priority,
        attachments=(*_attachments(parsed), *extra_files),
        metadata=_metadata(parsed, auth),
        auto_respond=not checked.tags and bool(address),
        tags=checked.tags,
    )


def with_tags(inbound: Inbound, tags: Sequence[str]) -> Inbound:
    """`inbound` with more loop tags: still stored, never answered automatically."""
    if not tags:
        return inbound
    return replace(inbound, tags=(*inbound.tags, *tags), auto_respond=False)


def _not_an_email(parsed: ParsedEmail) -> bool:
    """Not one header field an email has (an empty file, a text file): nothing to read."""
    return (
        not (parsed.from_address or parsed.to or parsed.cc or parsed.message_id or parsed.subject)
        and not parsed.date
    )


def unprocessable_inbound(
    raw: bytes, box: Mailbox, external_id: str, tags: tuple[str, ...] = ()
) -> Inbound:
    """The raw message as it came, on a ticket agents see; never answered."""
    note = "\n".join(t("email.unprocessable", lang) for lang in ("zh-Hans", "en"))
    text = _clean(raw[:BODY_LIMIT].decode("utf-8", "replace"))
    return Inbound(
        channel=Channel.EMAIL,
        sender=Sender(trust=Trust.ANONYMOUS),
        body_text=f"{note}\n\n{text}",
        external_id=external_id,
        mailbox=box.address,
        team=box.team,
        priority_floor=box.priority,
        attachments=(InboundAttachment("original.eml", "message/rfc822", raw),),
        auto_respond=False,
        tags=("unprocessable", *tags),
    )


def email_external_id(message_id: str | None, raw: bytes) -> str:
    """The dedupe key: the Message-ID, or a digest when it is missing or too long."""
    if message_id:
        match = _MESSAGE_ID.search(message_id)
        if match:
            return match.group(0)
        bare = message_id.strip()
        if bare and len(bare) <= 296 and not re.search(r"[\s<>]", bare):
            return f"<{bare}>"
        return f"<sha256-{hashlib.sha256(message_id.encode()).hexdigest()}@kefu.invalid>"
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@kefu.invalid>"


def _thread_refs(parsed: ParsedEmail) -> tuple[str, ...]:
    """References then In-Reply-To: oldest first, as the thread step expects."""
    refs = [*parsed.references, *([parsed.in_reply_to] if parsed.in_reply_to else [])]
    wanted = [r for r in dict.fromkeys(refs) if _MESSAGE_ID.fullmatch(r)]
    return tuple(wanted[-MAX_REFS:])


def _bodies(parsed: ParsedEmail) -> tuple[str, str | None, list[InboundAttachment]]:
    """(the new part of the reply, the whole message as HTML, files for what is too long).

    The whole message goes through the shield as HTML: the quoted history may hold
    secrets too.
    """
    full = _clean(parsed.text)
    new, rest = split_quoted_reply(full)
    text = new or full.strip()
    files: list[InboundAttachment] = []
    if len(text) > BODY_LIMIT:
        files.append(InboundAttachment("message.txt", "text/plain", full.encode()))
        notice = " / ".join(
            t("email.truncated", lang, filename="message.txt") for lang in ("zh-Hans", "en")
        )
        text = f"{text[:BODY_LIMIT]}\n\n[{notice}]"
    html = _clean(parsed.html) if parsed.html is not None else None
    if html is None and rest:
        html = f"<pre>{escape(full)}</pre>"
    if html is not None and len(html) > HTML_LIMIT:
        files.append(InboundAttachment("message.html", "text/html", html.encode()))
        html = None
    return text, html, files


def _attachments(parsed: ParsedEmail) -> list[InboundAttachment]:
    return [
        InboundAttachment(_clean(a.filename) or "file", a.content_type, a.data, a.content_id)
        for a in parsed.attachments
    ]


def _metadata(parsed: ParsedEmail, auth: SenderAuth) -> dict[str, str]:
    meta = {
        "email_from": _clean(parsed.from_address)[:320],
        "email_to": _clean(", ".join(parsed.to))[:1000],
        "dkim": auth.dkim,
        "spf": auth.spf,
    }
    if auth.dkim_domains:
        meta["dkim_domains"] = ", ".join(auth.dkim_domains)
    if parsed.defects:
        meta["defects"] = _clean("; ".join(parsed.defects[:5]))[:1000]
    bounced = bounced_message_id(parsed)
    if bounced:
        meta[BOUNCE_OF] = bounced
    return meta


def bounced_message_id(parsed: ParsedEmail) -> str | None:
    """The Message-ID of the email a bounce (DSN) returns, from its returned message or
    headers part (RFC 3464: message/rfc822 or text/rfc822-headers)."""
    if not parsed.bounce:
        return None
    for part in parsed.attachments:
        if part.content_type in _RETURNED_PARTS:
            headers = BytesHeaderParser(policy=compat32).parsebytes(part.data[:65536])
            match = _MESSAGE_ID.search(str(headers.get("Message-ID") or ""))
            if match:
                return match.group(0)
    return None


def _clean(text: str) -> str:
    """PostgreSQL text cannot hold NUL, and no reader needs one."""
    return text.replace("\x00", "")
