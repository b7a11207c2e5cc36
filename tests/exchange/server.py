"""The demo exchange served for real by uvicorn on 127.0.0.1, in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

from kefu.exchange.demo import DemoExchange
from tests.support import free_port

EXCHANGE_SECRET = "test-exchange-secret-0123456789abcdef"


@dataclass(frozen=True)
class ServedExchange:
    exchange: DemoExchange
    url: str
    secret: str


@contextmanager
def serve(app: ASGIApp, port: int | None = None) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port by default) until the block ends; yields its URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def served_demo_exchange() -> Iterator[ServedExchange]:
    exchange = DemoExchange(EXCHANGE_SECRET)
    with serve(exchange.app) as url:
        yield ServedExchange(exchange, url, EXCHANGE_SECRET)
