"""Polling external mailboxes over IMAP (stdlib imaplib), with IDLE where the server has it.

A message is fetched with BODY.PEEK (which leaves it unseen), ingested, and only after
the commit flagged \\Seen (and moved, when `move_to` is set). A crash between the two
fetches it again next time; the Message-ID makes that second delivery a no-op. A
temporary failure (database down) leaves it unseen and ends the round.

Source URLs: `imap://`, `imaps://` or `imap+starttls://user:pass@host:port/FOLDER`
with optional `?mailbox=security@…` (the kefu mailbox it feeds; else by To/Cc) and
`&move_to=FOLDER`. The password never reaches a log line.
"""

from __future__ import annotations

import imaplib
import logging
import re
import select
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from kefu.channels.email.receive import EmailReceiver, TemporaryFailure
from kefu.i18n import t

log = logging.getLogger(__name__)

_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_RECONNECT_SECONDS = 10.0


@dataclass(frozen=True)
class ImapSource:
    host: str
    port: int
    security: str  # plain / tls / starttls
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    mailbox: str | None = None
    move_to: str | None = None

    @property
    def label(self) -> str:
        """For logs: everything but the password."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_imap_url(url: str) -> ImapSource:
    parts = urlsplit(url)
    security = {"imap": "plain", "imaps": "tls", "imap+starttls": "starttls"}.get(parts.scheme)
    if security is None or not parts.hostname:
        raise ValueError("IMAP URL must be imap://, imaps:// or imap+starttls://user:pass@host")
    query = parse_qs(parts.query)
    return ImapSource(
        host=parts.hostname,
        port=parts.port or (993 if security == "tls" else 143),
        security=security,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        mailbox=_first(query.get("mailbox")),
        move_to=_first(query.get("move_to")),
    )


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


@dataclass
class PollResult:
    stored: int = 0
    waiting: int = 0  # left unseen after a temporary failure


class ImapPoller:
    def __init__(
        self, receiver: EmailReceiver, source: ImapSource, *, timeout: float = 30.0
    ) -> None:
        self.receiver = receiver
        self.source = source
        self.timeout = timeout
        settings = receiver.services.settings
        self.max_bytes = settings.email_max_bytes
        self.idle_seconds = float(settings.imap_poll_seconds)
        self.mailbox = receiver.mailboxes.find(source.mailbox) if source.mailbox else None

    def poll_once(self) -> PollResult:
        """Connect, ingest every unseen message, disconnect."""
        with self.connect() as conn:
            return self.drain(conn)

    def run_forever(self, stop: threading.Event) -> None:
        """Stay connected; wait with IDLE (or sleep) between rounds; reconnect on errors."""
        while not stop.is_set():
            try:
                with self.connect() as conn:
                    while not stop.is_set():
                        self.drain(conn, stop)
                        self._wait(conn, stop)
            except (OSError, imaplib.IMAP4.error, EOFError) as exc:
                log.warning("imap %s: %s; reconnecting", self.source.label, _describe(exc))
                stop.wait(_RECONNECT_SECONDS)

    def connect(self) -> imaplib.IMAP4:
        source = self.source
        conn: imaplib.IMAP4
        if source.security == "tls":
            context = ssl.create_default_context()
            conn = imaplib.IMAP4_SSL(
                source.host, source.port, ssl_context=context, timeout=self.timeout
            )
        else:
            conn = imaplib.IMAP4(source.host, source.port, timeout=self.timeout)
            if source.security == "starttls":
                conn.starttls(ssl.create_default_context())
        try:
            conn.login(source.user, source.password)
            _refresh_capabilities(conn)
            _check(conn.select(_quote(source.folder)), "SELECT")
        except BaseException:
            conn.shutdown()
            raise
        return conn

    def drain(self, conn: imaplib.IMAP4, stop: threading.Event | None = None) -> PollResult:
        result = PollResult()
        typ, data = conn.uid("SEARCH", "UNSEEN")
        _check((typ, data), "SEARCH")
        uids = (data[0] or b"").split() if data else []
        for index, uid in enumerate(uids):
            if stop is not None and stop.is_set():
                break
            if not self._ingest(conn, uid):
                result.waiting = len(uids) - index
                break
            result.stored += 1
        return result

    def _ingest(self, conn: imaplib.IMAP4, uid: bytes) -> bool:
        """Ingest one message; False when it must wait for the database (left unseen)."""
        raw, tags = self._fetch(conn, uid)
        try:
            self.receiver.receive(raw, mailbox=self.mailbox, tags=tags)
        except TemporaryFailure as exc:
            log.warning("imap %s: temporary failure (%s)", self.source.label, exc)
            return False
        self._mark_done(conn, uid)
        return True

    def _fetch(self, conn: imaplib.IMAP4, uid: bytes) -> tuple[bytes, tuple[str, ...]]:
        typ, data = conn.uid("FETCH", uid.decode(), "(RFC822.SIZE)")
        _check((typ, data), "FETCH")
        size_match = _SIZE.search(_flatten(data))
        if size_match and int(size_match.group(1)) > self.max_bytes:
            # Too big to take in: keep the headers and say so, rather than drop it.
            typ, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[HEADER])")
            _check((typ, data), "FETCH")
            limit = f"{self.max_bytes // (1024 * 1024)} MiB"
            note = "\n".join(t("email.oversize", lang, limit=limit) for lang in ("zh-Hans", "en"))
            body = _literal(data).rstrip(b"\r\n") + b"\r\n"
            note_part = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + note.encode()
            return _without_content_headers(body) + note_part, ("oversize",)
        typ, data = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
        _check((typ, data), "FETCH")
        return _literal(data), ()

    def _mark_done(self, conn: imaplib.IMAP4, uid: bytes) -> None:
        _check(conn.uid("STORE", uid.decode(), "+FLAGS.SILENT", r"(\Seen)"), "STORE")
        target = self.source.move_to
        if not target:
            return
        if "MOVE" in conn.capabilities:
            _check(conn.uid("MOVE", uid.decode(), _quote(target)), "MOVE")
            return
        _check(conn.uid("COPY", uid.decode(), _quote(target)), "COPY")
        _check(conn.uid("STORE", uid.decode(), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        conn.expunge()

    def _wait(self, conn: imaplib.IMAP4, stop: threading.Event) -> None:
        if "IDLE" in conn.capabilities:
            idle(conn, self.idle_seconds, stop)
        else:
            stop.wait(self.idle_seconds)
            conn.noop()


def idle(conn: imaplib.IMAP4, seconds: float, stop: threading.Event) -> bool:
    """RFC 2177 IDLE until new mail, `seconds` or `stop`; True when mail arrived."""
    tag = b"KEFUIDLE"
    conn.send(tag + b" IDLE\r\n")
    if not conn.readline().startswith(b"+"):
        _read_until_tagged(conn, tag)
        return False
    arrived = False
    deadline = time.monotonic() + seconds
    while not arrived and not stop.is_set() and time.monotonic() < deadline:
        if _readable(conn, min(1.0, deadline - time.monotonic())):
            line = conn.readline()
            if not line:
                raise EOFError("IMAP server closed the connection")
            arrived = b"EXISTS" in line or b"RECENT" in line
    conn.send(b"DONE\r\n")
    _read_until_tagged(conn, tag)
    return arrived


def _readable(conn: imaplib.IMAP4, timeout: float) -> bool:
    sock = conn.socket()
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    ready, _, _ = select.select([sock], [], [], max(timeout, 0.0))
    return bool(ready)


def _read_until_tagged(conn: imaplib.IMAP4, tag: bytes) -> None:
    while True:
        line = conn.readline()
        if not line:
            raise EOFError("IMAP server closed the connection")
        if line.startswith(tag + b" "):
            return


def _refresh_capabilities(conn: imaplib.IMAP4) -> None:
    """Servers announce more after login (MOVE, UIDPLUS); imaplib keeps the first list."""
    typ, data = conn.capability()
    if typ == "OK" and data and isinstance(data[-1], bytes):
        conn.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())


def _check(response: tuple[str, list[object]] | tuple[str, object], what: str) -> None:
    if response[0] != "OK":
        raise imaplib.IMAP4.error(f"{what} failed: {response[1]!r:.200}")


def _literal(data: list[object]) -> bytes:
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    raise imaplib.IMAP4.error("FETCH returned no message")


def _flatten(data: list[object]) -> bytes:
    out = b""
    for item in data:
        if isinstance(item, bytes):
            out += item
        elif isinstance(item, tuple) and item and isinstance(item[0], bytes):
            out += item[0]
    return out


def _without_content_headers(head: bytes) -> bytes:
    """The header block minus its MIME headers (the body they described is not here)."""
    lines = re.split(rb"\r?\n(?![ \t])", head)
    kept = [line for line in lines if not re.match(rb"(?i)(content-|mime-version)", line)]
    return b"\r\n".join(kept).rstrip(b"\r\n") + b"\r\nMIME-Version: 1.0\r\n"


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _describe(exc: BaseException) -> str:
    if isinstance(exc, imaplib.IMAP4.error):
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return type(exc).__name__
