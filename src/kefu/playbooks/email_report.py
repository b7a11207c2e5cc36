"""A fake verdict opens a ticket for the security team, through `ingest()`.

The suspicious message is attached as plain text (`reported-email.txt`): never rendered as
HTML, and redacted by the shield step like every text attachment.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from kefu.i18n import t
from kefu.ingest.draft import Receipt
from kefu.ingest.inbound import Channel, Inbound, InboundAttachment, Sender, Trust
from kefu.ingest.pipeline import ingest
from kefu.playbooks.email_check import EmailReport, EmailVerdict, check_reported_email
from kefu.services import Services
from kefu.store.models import Customer
from kefu.trust.registry import load_registry

REPORT_TAG = "fake_email_report"
MAX_EMAIL_BYTES = 2 * 1024 * 1024  # a forwarded message with its attachments


def check_and_report(
    services: Services,
    raw: bytes,
    *,
    signed_in: Sender | None,
    customer_id: int | None,
    contact: str,
    language: str,
    channel: Channel,
) -> tuple[EmailReport, str | None]:
    """The verdict on `raw`, and the security ticket's number when it is fake."""
    code = own_anti_phishing_code(services, customer_id, signed_in.uid if signed_in else None)
    report = check_reported_email(raw, load_registry(services), code)
    if report.verdict is not EmailVerdict.FAKE or not report.from_address:
        return report, None
    sender = reporting_sender(signed_in, contact, language)
    receipt = report_fake_email(services, sender, report, raw, channel=channel, language=language)
    return report, receipt.ticket_number


def own_anti_phishing_code(
    services: Services, customer_id: int | None, uid: str | None
) -> str | None:
    """The signed-in customer's code (by id, or by UID for a token caller not yet resolved)."""
    if customer_id is not None:
        where = Customer.id == customer_id
    elif uid:
        where = Customer.uid == uid
    else:
        return None
    with services.db.read() as session:
        return session.scalar(select(Customer.anti_phishing_code).where(where))


def report_fake_email(
    services: Services,
    sender: Sender,
    report: EmailReport,
    raw: bytes,
    *,
    channel: Channel,
    language: str,
) -> Receipt:
    """Open (once per customer and message) the security team's ticket about `raw`."""
    digest = hashlib.sha256(raw).hexdigest()[:32]
    scope = sender.uid or sender.email or "anonymous"
    inbound = Inbound(
        channel=channel,
        sender=sender,
        subject=t("playbooks.email.report_subject", language, sender=report.from_address)[:200],
        body_text=_summary(report, language),
        category="security",
        team="security",
        external_id=f"email-report:{scope}:{digest}",
        attachments=(InboundAttachment("reported-email.txt", "text/plain", raw),),
        metadata={"email_check": report.verdict.value, "reported_from": report.from_address},
        tags=(REPORT_TAG,),
    )
    return ingest(services, inbound)


def reporting_sender(signed_in: Sender | None, contact_email: str, language: str) -> Sender:
    """Who reports: the signed-in customer, else the email they typed (claimed), else nobody."""
    if signed_in is not None:
        return signed_in
    email = contact_email.strip()
    if "@" in email and len(email) <= 320:
        return Sender(trust=Trust.CLAIMED, email=email, language=language)
    return Sender(trust=Trust.ANONYMOUS, language=language)


def _summary(report: EmailReport, language: str) -> str:
    lines = [t("playbooks.email.report_intro", language), ""]
    lines.append(
        t("playbooks.email.checked", language, sender=report.from_address, subject=report.subject)
    )
    for check in report.checks:
        outcome = t(f"playbooks.check.outcome.{check.outcome}", language)
        lines.append(
            f"- [{outcome}] {t(f'playbooks.check.{check.code}', language, **check.params)}"
        )
    return "\n".join(lines)
