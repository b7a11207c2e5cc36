"""shield: secrets redacted, HTML sanitised and attachments checked before anything is stored."""

from __future__ import annotations

from sqlalchemy.orm import Session

from kefu.ingest.draft import CheckedAttachment, Draft
from kefu.language import detect_language
from kefu.services import Services
from kefu.shield import redact_secrets
from kefu.shield.attachments import check_attachment
from kefu.shield.html import sanitize_html


def shield(session: Session, services: Services, draft: Draft) -> None:
    inbound = draft.inbound
    draft.language = inbound.sender.language or detect_language(
        f"{inbound.subject}\n{inbound.body_text}", services.settings.default_language
    )
    draft.subject = _redact(draft, "subject", inbound.subject)
    draft.text = _redact(draft, "text", inbound.body_text)
    if inbound.body_html:
        draft.html = _redact(draft, "html", sanitize_html(inbound.body_html))
    for attachment in inbound.attachments:
        verdict = check_attachment(
            attachment.filename,
            attachment.declared_type,
            attachment.data,
            services.settings.max_attachment_bytes,
        )
        draft.attachments.append(
            CheckedAttachment(attachment.filename, attachment.content_id, verdict)
        )


def _redact(draft: Draft, field: str, text: str) -> str:
    result = redact_secrets(text, draft.language)
    draft.findings += [
        {"field": field, "kind": f.kind, "start": f.start, "end": f.end} for f in result.findings
    ]
    return result.text
