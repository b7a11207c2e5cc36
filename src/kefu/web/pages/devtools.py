"""Demo-only pages: the dev mailbox (what the SMTP sink caught) and the API docs page."""

from __future__ import annotations

from email.message import Message
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kefu.channels.email.sink import read_mailbox
from kefu.errors import NotFound
from kefu.web.deps import ServicesDep
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)


@router.get("/dev/mailbox", response_class=HTMLResponse)
def mailbox_page(request: Request, services: ServicesDep) -> Response:
    if not services.settings.is_demo:
        raise NotFound()
    mails = [_summary(key, mail) for key, mail in read_mailbox(services.settings.dev_mailbox_dir)]
    return render(request, "dev/mailbox.html", mails=mails[:200])


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """A self-contained reference rendered from the OpenAPI document (no CDN scripts)."""
    spec = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "dev/api_docs.html", operations=operations, spec=spec)


def _summary(key: str, mail: Message) -> dict[str, Any]:
    from email.header import decode_header, make_header

    text, html = "", ""
    for part in mail.walk():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        decoded = payload.decode(part.get_content_charset() or "utf-8", errors="replace")
        if part.get_content_type() == "text/plain" and not text:
            text = decoded
        elif part.get_content_type() == "text/html" and not html:
            html = decoded
    return {
        "key": key,
        "to": str(make_header(decode_header(mail.get("To", "")))),
        "subject": str(make_header(decode_header(mail.get("Subject", "")))),
        "date": mail.get("Date", ""),
        "text": text,
    }
