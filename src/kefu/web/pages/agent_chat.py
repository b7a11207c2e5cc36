"""The agent chat console page, and the demo exchange page that embeds the widget."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kefu.auth.customer_tokens import sign_identity_token
from kefu.errors import NotAuthenticated, NotFound
from kefu.web.deps import ServicesDep, current_agent
from kefu.web.pages.render import render

router = APIRouter(include_in_schema=False)
PRESENCES = ("online", "away", "offline")


@router.get("/agent/chat", response_class=HTMLResponse)
def chat_console(request: Request, services: ServicesDep) -> Response:
    try:
        current_agent(request, services)
    except NotAuthenticated:
        return RedirectResponse("/agent/login", status_code=303)
    return render(request, "chat/console.html", presences=PRESENCES)


@router.get("/demo/exchange", response_class=HTMLResponse)
def demo_exchange(request: Request, services: ServicesDep) -> Response:
    """Demo only: a stand-in exchange page with the one-line widget embed.

    `?as=guest` embeds it without an identity token; otherwise a demo customer's token.
    """
    settings = services.settings
    if not settings.is_demo:
        raise NotFound()
    token = None
    if request.query_params.get("as") != "guest":
        token = sign_identity_token(
            settings.resolved_identity_secret(), "88880001", "demo.trader@example.com", "演示用户"
        )
    return render(request, "chat/demo_host.html", token=token)
