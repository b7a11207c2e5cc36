"""IMAP polling against a real Dovecot on 127.0.0.1 (`.ci/dovecot.sh`); mail arrives by APPEND."""

from __future__ import annotations

import imaplib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from kefu.channels.email.imap_poll import ImapPoller, parse_imap_url
from kefu.channels.email.receive import EmailReceiver
from kefu.services import Services
from kefu.store.db import open_database
from tests.channels.email.email_kit import (
    DOMAIN,
    IMAP_URL,
    Attach,
    local_zone,
    make_email,
    messages,
    needs_imap,
    tickets,
)
from tests.support import free_port

pytestmark = needs_imap


@contextmanager
def imap(folder: str) -> Iterator[imaplib.IMAP4]:
    source = parse_imap_url(IMAP_URL)
    conn = imaplib.IMAP4(source.host, source.port, timeout=10)
    conn.login(source.user, source.password)
    conn.select(folder)
    try:
        yield conn
    finally:
        conn.logout()


def deliver(folder: str, raw: bytes) -> None:
    with imap(folder) as conn:
        assert conn.append(folder, None, None, raw)[0] == "OK"


def unseen(folder: str) -> int:
    with imap(folder) as conn:
        _, data = conn.uid("SEARCH", "UNSEEN")
        return len((data[0] or b"").split())


def total(folder: str) -> int:
    with imap(folder) as conn:
        _, data = conn.uid("SEARCH", "ALL")
        return len((data[0] or b"").split())


def poller(receiver: EmailReceiver, folder: str, query: str = "") -> ImapPoller:
    return ImapPoller(receiver, parse_imap_url(f"{IMAP_URL}/{quote(folder)}{query}"))


def test_polled_mail_becomes_a_ticket_and_is_flagged_seen_after_commit(
    receiver: EmailReceiver, email_services: Services, imap_folder: str
) -> None:
    deliver(imap_folder, make_email("提现一直在审核中", subject="提现审核"))
    deliver(imap_folder, make_email("second one", subject="API key question"))

    result = poller(receiver, imap_folder, f"?mailbox=security@{DOMAIN}").poll_once()

    assert (result.stored, result.waiting) == (2, 0)
    assert [t.subject for t in tickets(email_services)] == ["提现审核", "API key question"]
    assert {t.mailbox for t in tickets(email_services)} == {f"security@{DOMAIN}"}
    assert unseen(imap_folder) == 0


def test_a_database_outage_leaves_mail_unseen_until_it_is_committed(
    receiver: EmailReceiver, email_services: Services, imap_folder: str, tmp_path: Path
) -> None:
    deliver(imap_folder, make_email("stuck withdrawal"))
    broken = (
        f"sqlite:///{tmp_path}"
        if email_services.db.is_sqlite
        else f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/kefu"
    )
    down = replace(email_services, db=open_database(broken))
    try:
        result = poller(EmailReceiver(down, local_zone()), imap_folder).poll_once()
    finally:
        down.db.engine.dispose()
    assert (result.stored, result.waiting) == (0, 1)
    assert unseen(imap_folder) == 1

    assert poller(receiver, imap_folder).poll_once().stored == 1
    assert unseen(imap_folder) == 0 and len(messages(email_services)) == 1


def test_the_same_message_delivered_twice_is_stored_once(
    receiver: EmailReceiver, email_services: Services, imap_folder: str
) -> None:
    raw = make_email("hello twice", message_id="<twice@example.com>")
    deliver(imap_folder, raw)
    poller(receiver, imap_folder).poll_once()
    deliver(imap_folder, raw)  # e.g. a crash after our commit, before the \\Seen flag
    poller(receiver, imap_folder).poll_once()

    assert len(messages(email_services)) == 1
    assert unseen(imap_folder) == 0


def test_processed_mail_can_be_moved_to_another_folder(
    receiver: EmailReceiver, email_services: Services, imap_folder: str
) -> None:
    deliver(imap_folder, make_email("move me"))
    poller(receiver, imap_folder, f"?move_to={imap_folder}-done").poll_once()

    assert (total(imap_folder), total(f"{imap_folder}-done")) == (0, 1)
    assert len(messages(email_services)) == 1


def test_oversize_mail_keeps_its_headers_and_a_note(
    email_services: Services, imap_folder: str
) -> None:
    small = replace(
        email_services,
        settings=email_services.settings.model_copy(update={"email_max_bytes": 5000}),
    )
    big = Attach("dump.bin", "application/octet-stream", b"\1" * 20_000)
    deliver(imap_folder, make_email("big one", subject="Huge logs", attachments=(big,)))

    poller(EmailReceiver(small, local_zone()), imap_folder).poll_once()

    [ticket] = tickets(email_services)
    [message] = messages(email_services)
    assert ticket.subject == "Huge logs" and "oversize" in ticket.tags
    assert "size limit" in message.body_text
    assert unseen(imap_folder) == 0


def test_idle_picks_up_new_mail_without_waiting_for_the_next_poll(
    email_services: Services, imap_folder: str
) -> None:
    patient = replace(
        email_services,
        settings=email_services.settings.model_copy(update={"imap_poll_seconds": 300}),
    )
    stop = threading.Event()
    watcher = poller(EmailReceiver(patient, local_zone()), imap_folder)
    thread = threading.Thread(target=watcher.run_forever, args=(stop,))
    thread.start()
    try:
        time.sleep(0.5)  # connected and idling
        deliver(imap_folder, make_email("arrives while idling"))
        deadline = time.monotonic() + 15
        while not messages(email_services) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert [m.body_text for m in messages(email_services)] == ["arrives while idling"]


def test_the_password_never_appears_in_the_source_description() -> None:
    source = parse_imap_url(
        "imaps://agent%40x:s3cr%21t@imap.example.com/Support%20Box?move_to=Done"
    )
    assert (source.user, source.password, source.folder) == ("agent@x", "s3cr!t", "Support Box")
    assert (source.port, source.security, source.move_to) == (993, "tls", "Done")
    assert "s3cr" not in source.label and "s3cr" not in repr(source)


@pytest.mark.parametrize("url", ["http://x@y/", "imap:///INBOX"])
def test_bad_imap_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="IMAP URL"):
        parse_imap_url(url)
