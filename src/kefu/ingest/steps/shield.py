"""shield: secrets redacted, HTML sanitised and attachments checked before anything is stored."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from kefu.ingest.draft import CheckedAttachment, Draft
from kefu.language import detect_language
from kefu.services import Services
from kefu.shield import redact_secrets
from kefu.shield.attachments import AttachmentVerdict, check_attachment, redact_text_attachment
from kefu.shield.html import html_to_text, sanitize_html
from kefu.shield.redact import find_secrets


def shield(services: Services, draft: Draft) -> None:
    inbound = draft.inbound
    draft.language = inbound.sender.language or detect_language(
        f"{inbound.subject}\n{inbound.body_text}", services.settings.default_language
    )
    draft.subject = _redact(draft, "subject", inbound.subject)
    draft.text = _redact(draft, "text", inbound.body_text)
    if inbound.body_html:
        draft.html = _redact_html(draft, sanitize_html(inbound.body_html))
    for attachment in inbound.attachments:
        verdict = check_attachment(
            attachment.filename,
            attachment.declared_type,
            attachment.data,
            services.settings.max_attachment_bytes,
        )
        if verdict.status == "ok" and verdict.content_type.startswith("text/"):
            verdict = _redact_text_file(draft, attachment.filename, verdict)
        draft.attachments.append(
            CheckedAttachment(attachment.filename, attachment.content_id, verdict)
        )


def _redact_html(draft: Draft, html: str) -> str:
    """Redact the markup; if a secret is still readable in its text (split across tags),
    keep only the redacted text, escaped, instead of the formatting."""
    redacted = _redact(draft, "html", html)
    text = html_to_text(redacted)
    if not find_secrets(text):
        return redacted
    return f"<pre>{escape(_redact(draft, 'html', text))}</pre>"


def _redact_text_file(draft: Draft, filename: str, verdict: AttachmentVerdict) -> AttachmentVerdict:
    data, findings = redact_text_attachment(verdict.data, draft.language)
    draft.findings += [
        {"field": f"attachment:{filename}", "kind": f.kind, "start": f.start, "end": f.end}
        for f in findings
    ]
    return replace(verdict, data=data) if findings else verdict


def _redact(draft: Draft, field: str, text: str) -> str:
    result = redact_secrets(text, draft.language)
    draft.findings += [
        {"field": field, "kind": f.kind, "start": f.start, "end": f.end} for f in result.findings
    ]
    return result.text
