"""Running the email channel: the SMTP listener and the IMAP pollers, as configured.

`kefu serve` runs them in-process when `KEFU_SMTPD_LISTEN` / `KEFU_IMAP_URLS` are set;
`kefu smtpd` and `kefu imap-poll` run each alone.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kefu.channels.email.authenticity import TxtResolver, default_resolver
from kefu.channels.email.bulk import BATCH_SIZE, BulkIngest, IngestSummary, default_jobs
from kefu.channels.email.imap_poll import ImapPoller, parse_imap_url
from kefu.channels.email.receive import EmailReceiver
from kefu.channels.email.smtpd import parse_listen, start_smtpd
from kefu.services import Services, build_services
from kefu.settings import Settings

log = logging.getLogger(__name__)


def imap_pollers(receiver: EmailReceiver) -> list[ImapPoller]:
    return [ImapPoller(receiver, parse_imap_url(u)) for u in receiver.services.settings.imap_urls]


@contextmanager
def run_email_channel(
    services: Services, resolver: TxtResolver | None = None
) -> Iterator[EmailReceiver | None]:
    """Start what is configured; stop it all on exit. Yields None when nothing is."""
    settings = services.settings
    if not settings.smtpd_listen and not settings.imap_urls:
        yield None
        return
    receiver = EmailReceiver(services, resolver or default_resolver())
    stop = threading.Event()
    threads = [
        threading.Thread(target=p.run_forever, args=(stop,), name="kefu-imap", daemon=True)
        for p in imap_pollers(receiver)
    ]
    controller = (
        start_smtpd(receiver, *parse_listen(settings.smtpd_listen))
        if (settings.smtpd_listen)
        else None
    )
    for thread in threads:
        thread.start()
    try:
        yield receiver
    finally:
        stop.set()
        if controller is not None:
            controller.stop()
        for thread in threads:
            thread.join(timeout=10)


@contextmanager
def email_channel_for(settings: Settings) -> Iterator[None]:
    """`kefu serve`: the email channel on its own services, when configured."""
    if not settings.smtpd_listen and not settings.imap_urls:
        yield
        return
    services = build_services(settings)
    try:
        with run_email_channel(services):
            yield
    finally:
        services.db.engine.dispose()


def serve_smtpd(settings: Settings, listen: str | None) -> int:
    """`kefu smtpd`: the SMTP listener alone, until interrupted."""
    services = build_services(settings)
    receiver = EmailReceiver(services, default_resolver())
    controller = start_smtpd(receiver, *parse_listen(listen or settings.smtpd_listen))
    try:
        _wait_for_signal()
    finally:
        controller.stop()
    return 0


def serve_imap(settings: Settings, *, once: bool) -> int:
    """`kefu imap-poll`: poll every configured IMAP folder (once, or until interrupted)."""
    services = build_services(settings)
    pollers = imap_pollers(EmailReceiver(services, default_resolver()))
    if not pollers:
        log.error("no IMAP folders configured (KEFU_IMAP_URLS)")
        return 2
    if once:
        for poller in pollers:
            result = poller.poll_once()
            print(f"{poller.source.label}: stored {result.stored}, waiting {result.waiting}")
        return 0
    stop = threading.Event()
    threads = [threading.Thread(target=p.run_forever, args=(stop,)) for p in pollers]
    for thread in threads:
        thread.start()
    try:
        _wait_for_signal()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    return 0


def ingest_email_files(
    settings: Settings,
    paths: list[Path],
    *,
    answer: bool = True,
    jobs: int | None = None,
    batch: int = BATCH_SIZE,
) -> IngestSummary:
    """`kefu email ingest`: the files and directories, as if each email had just arrived."""
    services = build_services(settings)
    try:
        receiver = EmailReceiver(services, default_resolver())
        bulk = BulkIngest(
            receiver, answer=answer, jobs=default_jobs() if jobs is None else jobs, batch_size=batch
        )
        return bulk.run(paths)
    finally:
        services.db.close()


def _wait_for_signal() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    with suppress(KeyboardInterrupt):
        stopped.wait()
