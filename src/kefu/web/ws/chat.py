"""Chat routes: the widget's socket, the agent console's socket, config, image upload."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, File, Form, Request, UploadFile, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from kefu.auth.agents import AgentPrincipal, principal_for_session
from kefu.auth.secrets import unsign_value
from kefu.categories import CATEGORIES
from kefu.channels.chat.agent_socket import serve_agent
from kefu.channels.chat.socket import ClientGone, serve_customer
from kefu.channels.chat.visitor import visitor_key_from
from kefu.i18n import CATALOG, t
from kefu.services import Services
from kefu.shield.attachments import IMAGE_TYPES, sniff_type
from kefu.store.models import Attachment, ChatUpload
from kefu.web.deps import AGENT_COOKIE, LanguageDep, ServicesDep
from kefu.web.language import request_language
from kefu.web.ratelimits import client_address
from kefu.web.ws.origin import cors_headers, embedding_origin_allowed, same_origin

log = logging.getLogger(__name__)
router = APIRouter()
# WebSocket close codes (4000–4999 are the application's): see docs/chat-protocol.md.
CLOSE_FORBIDDEN_ORIGIN = 4403
CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_PROTOCOL = 4400
CLOSE_IDLE = 4408
CLOSE_UNAVAILABLE = 4503


@router.websocket("/ws/chat")
async def chat_socket(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    if not embedding_origin_allowed(websocket, services.settings):
        await websocket.close(CLOSE_FORBIDDEN_ORIGIN, "origin not allowed")
        return
    await websocket.accept()
    address = client_address(websocket)
    await _run(websocket, serve_customer(websocket, services, address))


@router.websocket("/ws/agent-chat")
async def agent_socket(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    if not same_origin(websocket, services.settings):
        await websocket.close(CLOSE_FORBIDDEN_ORIGIN, "origin not allowed")
        return
    principal = await anyio.to_thread.run_sync(
        _agent_principal, services, websocket.cookies.get(AGENT_COOKIE)
    )
    if principal is None or principal.agent_id is None:
        await websocket.close(CLOSE_NOT_AUTHENTICATED, "sign in first")
        return
    await websocket.accept()
    await _run(websocket, serve_agent(websocket, services, principal, request_language(websocket)))


async def _run(websocket: WebSocket, serving: object) -> None:
    code = 1000
    try:
        await serving  # type: ignore[misc]
    except (WebSocketDisconnect, RuntimeError):
        return  # the client went away
    except TimeoutError:
        code = CLOSE_IDLE
    except (ValidationError, ClientGone):
        code = CLOSE_PROTOCOL
    except OperationalError:
        code = CLOSE_UNAVAILABLE
    except asyncio.CancelledError:
        raise
    with suppress(RuntimeError):  # already closed by the client
        await websocket.close(code)


def _agent_principal(services: Services, cookie: str | None) -> AgentPrincipal | None:
    if not cookie:
        return None
    with services.db.read() as session:
        return principal_for_session(session, cookie)


@router.get("/api/v1/chat/config", include_in_schema=False)
async def chat_config(request: Request, lang: LanguageDep) -> Response:
    """The widget's strings and the topic list, in the page's language."""
    services: Services = request.app.state.services
    strings = {
        key.removeprefix("chat.widget."): t(key, lang)
        for key in CATALOG
        if key.startswith("chat.widget.")
    }
    body = {
        "lang": lang,
        "strings": strings,
        "categories": [{"slug": c.slug, "name": c.name(lang)} for c in CATEGORIES],
    }
    return JSONResponse(body, headers=cors_headers(request, services.settings))


@router.post("/api/v1/chat/uploads", include_in_schema=False)
async def upload_image(
    request: Request,
    services: ServicesDep,
    lang: LanguageDep,
    session: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
) -> Response:
    """An image for the next message: checked here, stored, referenced by id in `message`."""
    headers = cors_headers(request, services.settings)
    visitor_key = visitor_key_from(services.settings, session)
    if visitor_key is None:
        return _upload_error(lang, 404, "not_found", "chat.error.not_found", headers)
    limit = services.settings.max_attachment_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        return _upload_error(
            lang,
            413,
            "too_large",
            "chat.error.image_too_large",
            headers,
            limit=limit // (1024 * 1024),
        )
    content_type = sniff_type(data, file.filename or "")
    if content_type not in IMAGE_TYPES:
        return _upload_error(lang, 415, "bad_image", "chat.error.bad_image", headers)
    upload_id = await services.db.run_write(
        _store_upload, services, visitor_key, file.filename or "image", content_type, data
    )
    return JSONResponse({"upload_id": upload_id}, status_code=201, headers=headers)


def _store_upload(
    services: Services, visitor_key: str, filename: str, content_type: str, data: bytes
) -> int:
    key, _digest = services.files.save(data)
    with services.db.write() as session:
        upload = ChatUpload(
            visitor_key=visitor_key,
            filename=filename[:255],
            content_type=content_type,
            size=len(data),
            storage_key=key,
        )
        session.add(upload)
        session.flush()
        return upload.id


def _upload_error(
    lang: str, status: int, code: str, key: str, headers: dict[str, str], **params: object
) -> Response:
    return JSONResponse(
        {"code": code, "message": t(key, lang, **params)}, status_code=status, headers=headers
    )


@router.get("/api/v1/chat/attachments/{signed}", include_in_schema=False)
def chat_attachment(signed: str, services: ServicesDep) -> Response:
    """A chat image by its capability URL (see `topics.attachment_url`)."""
    value = unsign_value(signed, services.settings.resolved_secret_key())
    if value is None or not value.startswith("a") or not value[1:].isdigit():
        return Response(status_code=404)
    with services.db.read() as session:
        attachment = session.get(Attachment, int(value[1:]))
    if (
        attachment is None
        or attachment.status != "ok"
        or attachment.content_type not in IMAGE_TYPES
    ):
        return Response(status_code=404)
    data = services.files.load(attachment.storage_key)
    headers = {"Cache-Control": "private, max-age=86400", "Content-Disposition": "inline"}
    return Response(data, media_type=attachment.content_type, headers=headers)
