"""The ASGI application: `create_app(settings)` builds everything from explicit settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from kefu import __version__
from kefu.exchange.demo import mount_demo_exchange
from kefu.jobs.handlers import HANDLERS
from kefu.jobs.worker import Worker, start_worker_thread
from kefu.services import Services, build_services
from kefu.settings import Settings
from kefu.web.api.v1 import (
    agent_customers,
    agent_export,
    agent_tickets,
    agent_workspace,
    customer_tickets,
)
from kefu.web.api.v1 import help as help_api
from kefu.web.api.v1 import playbooks as playbooks_api
from kefu.web.api.v1 import trust as trust_api
from kefu.web.errors import install_error_handlers
from kefu.web.headers import SecurityHeaders
from kefu.web.limits import BodyLimit
from kefu.web.pages import (
    admin,
    agent,
    agent_chat,
    agent_security,
    agent_ticket,
    automations,
    calendars,
    csat,
    devtools,
    inbox,
    portal,
)
from kefu.web.pages import help as help_pages
from kefu.web.pages import insider as insider_pages
from kefu.web.pages import playbooks as playbook_pages
from kefu.web.pages import verify as verify_pages
from kefu.web.runtime import serving_runtime
from kefu.web.ws import chat as chat_ws

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    owns_services = services is None
    services = services or build_services(settings)
    app = FastAPI(
        title="kefu API",
        version=__version__,
        description="Tickets for customers (identity token) and agents (session or API token).",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan(services, owns_services),
    )
    app.state.settings = settings
    app.state.services = services
    install_error_handlers(app)
    for router in (
        customer_tickets.router,
        agent_tickets.router,
        agent_workspace.router,
        portal.router,
        agent.router,
        inbox.router,
        agent_ticket.router,
        admin.router,
        csat.router,
        calendars.router,
        automations.router,
        devtools.router,
        help_api.router,
        help_pages.router,
        trust_api.router,
        verify_pages.router,
        playbooks_api.router,  # issue #9: guided forms, the email check
        playbook_pages.router,
        agent_security.router,  # issue #9: freezes, four-eyes unfreeze
        chat_ws.router,  # issue #5: live chat
        agent_chat.router,
        agent_customers.router,  # issue #9: masked customer, reveals
        agent_export.router,  # issue #9: CSV export (export permission)
        insider_pages.router,  # issue #9: unusual-access alerts
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_demo_exchange(app, settings)  # /demo-exchange, demo deployments only
    app.add_middleware(SecurityHeaders, secure_cookies=settings.secure_cookies)
    upload_limit = settings.max_attachments * settings.max_attachment_bytes + 1024 * 1024
    app.add_middleware(BodyLimit, json_limit=settings.max_json_bytes, upload_limit=upload_limit)
    return app


def _lifespan(
    services: Services, owns_services: bool
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = services.settings
        sink = None
        if settings.dev_mail_sink:
            from kefu.channels.email.sink import start_mail_sink

            sink = start_mail_sink(settings.dev_mailbox_dir, port=smtp_port(settings.smtp_url))
        if settings.warm_search_index:
            from kefu.kb.search import warm_index

            warm_index(services)
        worker = None
        if settings.run_worker_in_web:
            worker = start_worker_thread(Worker(services, HANDLERS))
        try:
            async with serving_runtime(services.db):  # `kefu serve` only: web/runtime.py
                yield
        finally:
            if worker is not None:
                worker[1].set()
                worker[0].join(timeout=5)
            if sink is not None:
                sink.stop()
            if owns_services:  # built here, so closed here (a caller's services stay open)
                services.live.close()
                services.db.close()

    return lifespan


def smtp_port(smtp_url: str) -> int:
    from urllib.parse import urlsplit

    return urlsplit(smtp_url).port or 8025
