"""Live events among the web processes of one machine, without Redis. See `LiveHub`.

`kefu serve --workers N` on SQLite runs N processes; an agent's live inbox in one must
see a ticket that arrived in another. Each process binds a Unix datagram socket in the
abstract namespace (no file to clean up, no path-length limit) and announces it with a
marker file in a shared directory; `publish` delivers locally and sends one datagram to
every other announced process. Like Redis pub/sub, delivery is best-effort: live events
ride on committed data, and clients catch up from the database (chat resumes from its
last acknowledged sequence, the inbox reloads).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from kefu.live.hub import LiveEvent, MemoryLiveHub

log = logging.getLogger(__name__)
PEER_LIST_TTL = 1.0  # seconds between directory scans for processes that came or went
MAX_DATAGRAM = 200 * 1024


class PeerLiveHub:
    """See `LiveHub` and the module docstring."""

    def __init__(self, directory: Path) -> None:
        self._local = MemoryLiveHub()
        self._directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._name = f"kefu-live-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(_address(self._name))
        self._sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sender.setblocking(False)
        (directory / self._name).touch()
        self._peers: list[str] = []
        self._peers_read_at = 0.0
        self._closed = False
        threading.Thread(target=self._receive, name="kefu-live-peers", daemon=True).start()

    def publish(self, topic: str, event: LiveEvent) -> None:
        self._local.publish(topic, event)
        data = json.dumps([topic, event], ensure_ascii=False).encode()
        if len(data) > MAX_DATAGRAM:
            log.warning("live event too large for other processes (%s): %d bytes", topic, len(data))
            return
        for peer in self._other_processes():
            self._send(peer, data, topic)

    def subscribe(self, topic: str) -> Any:
        return self._local.subscribe(topic)

    def close(self) -> None:
        self._closed = True
        (self._directory / self._name).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_RDWR)  # wakes the receiving thread
        self._socket.close()
        self._sender.close()

    def _send(self, peer: str, data: bytes, topic: str) -> None:
        try:
            self._sender.sendto(data, _address(peer))
        except ConnectionRefusedError:
            # That process is gone: forget it.
            (self._directory / peer).unlink(missing_ok=True)
            self._peers_read_at = 0.0
        except OSError as exc:  # a full buffer (BlockingIOError) included: best-effort
            log.warning("live event not delivered to %s (%s): %s", peer, topic, type(exc).__name__)

    def _other_processes(self) -> list[str]:
        now = time.monotonic()
        if now - self._peers_read_at > PEER_LIST_TTL:
            names = (p.name for p in self._directory.iterdir())
            self._peers = [n for n in names if n.startswith("kefu-live-") and n != self._name]
            self._peers_read_at = now
        return self._peers

    def _receive(self) -> None:
        while not self._closed:
            try:
                data = self._socket.recv(MAX_DATAGRAM)
            except OSError:
                return  # closed
            if not data and self._closed:
                return
            try:
                topic, event = json.loads(data)
            except ValueError:
                log.warning("unreadable live event from a peer process dropped")
                continue
            self._local.publish(topic, event)


def _address(name: str) -> str:
    return "\0" + name  # Linux abstract namespace
