"""`kefu email ingest FILE…|DIR`: stored emails through the same path as SMTP and IMAP.

For a migration from another helpdesk, or replaying a backup. Each file is read the way a
delivered email is (`EmailReceiver.read`, then the pipeline's `prepare`: parse, sender
checks, loop tags, shield, classification), in worker processes when `jobs` > 1. The main
process then writes the prepared messages in batches, many per write transaction
(`ingest_in` inside one `db.write()`), in file order:

- exactly once: the dedupe step sees the batch's own earlier inserts, so a Message-ID
  seen before (in this run, this batch, or any earlier delivery) stores nothing new, and
  a reply threads into a message written earlier in the same batch;
- a batch that fails is rolled back and written again one email at a time through
  `EmailReceiver.deliver`, so one bad email never spoils the others: it becomes an
  "unprocessable" message with its raw bytes attached;
- a file that cannot be read, or a batch the database refused (down, locked), counts as
  failed; running the command again picks up exactly what is missing.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kefu.channels.email.loops import RATE_LIMITED, over_rate, recent_messages
from kefu.channels.email.receive import (
    BOUNCE_OF,
    TEMPORARY_ERRORS,
    EmailReceiver,
    TemporaryFailure,
    with_tags,
)
from kefu.ingest.draft import Draft, Receipt
from kefu.ingest.inbound import Inbound
from kefu.ingest.pipeline import ingest_in, prepare, publish_receipt

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # messages per write transaction
CHUNK_SIZE = 32  # files per task handed to a worker process
IMPORTED = "imported"  # the tag of mail ingested without automatic answers
_NEEDS_A_LOOK = frozenset({"unprocessable", "malformed"})
UNAVAILABLE = "database unavailable"


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0  # already stored (same Message-ID), nothing new written
    unprocessable: int = 0  # stored for agents, but unreadable or malformed
    failed: list[tuple[Path, str]] = field(default_factory=list)  # not stored: run again

    def as_json(self) -> dict[str, object]:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "unprocessable": self.unprocessable,
            "failed": len(self.failed),
        }


@dataclass(frozen=True)
class _Read:
    """One file, read and prepared; `draft` is None when the file could not be read."""

    path: Path
    draft: Draft | None
    error: str = ""


def email_files(paths: Sequence[Path]) -> list[Path]:
    """FILE arguments as given; in a DIR, recursively, the `*.eml` files and every file of
    a Maildir `cur/` or `new/` folder, sorted by path (Maildir names begin with the time
    of delivery, so a reply comes after what it answers)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        found += sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and (p.suffix.lower() == ".eml" or p.parent.name in ("cur", "new"))
        )
    return list(dict.fromkeys(found))


class BulkIngest:
    """Ingests files with one receiver; `answer=False` (a migration) sends nothing: every
    message is tagged `imported` and never answered automatically."""

    def __init__(
        self,
        receiver: EmailReceiver,
        *,
        answer: bool = True,
        jobs: int = 1,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.receiver = receiver
        self.services = receiver.services
        self.tags: tuple[str, ...] = () if answer else (IMPORTED,)
        self.jobs = jobs
        self.batch_size = batch_size
        self.summary = IngestSummary()

    def run(self, paths: Sequence[Path]) -> IngestSummary:
        files = email_files(paths)
        reads = self._read_all(files)
        consumed = 0
        try:
            for batch in _batches(reads, self.batch_size):
                consumed += len(batch)
                if not self._write(batch):
                    self.summary.failed += [(p, UNAVAILABLE) for p in files[consumed:]]
                    break
        finally:
            reads.close()
        return self.summary

    def read(self, path: Path) -> _Read:
        """Everything before the database, for one file (runs in a worker process)."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return _Read(path, None, type(exc).__name__)
        prepared = self.receiver.read(raw, tags=self.tags)
        if prepared.inbound is not None:
            try:
                return _Read(path, prepare(self.services, prepared.inbound))
            except Exception as exc:  # as `deliver` does: keep it, as unprocessable
                log.error("email ingest: %s not prepared (%s)", path, type(exc).__name__)
        return _Read(path, prepare(self.services, prepared.unprocessable()))

    def _read_all(self, files: list[Path]) -> Generator[_Read]:
        if self.jobs < 1 or len(files) <= CHUNK_SIZE:
            yield from map(self.read, files)
            return
        chunks = [files[i : i + CHUNK_SIZE] for i in range(0, len(files), CHUNK_SIZE)]
        # fork: the workers start at once with this process's modules and settings; they
        # never touch the database (its pool is replaced in each, see _worker_started).
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            self.jobs, context, initializer=_worker_started, initargs=(self,)
        ) as pool:
            # A bounded window of chunks in flight: memory stays flat whatever the count.
            # Two batches' worth, so the readers keep reading while a batch is written.
            in_flight = max(2 * self.jobs, 2 * self.batch_size // CHUNK_SIZE + self.jobs)
            window: deque[Future[list[_Read]]] = deque()
            for chunk in chunks:
                window.append(pool.submit(_read_chunk, chunk))
                if len(window) > in_flight:
                    yield from window.popleft().result()
            while window:
                yield from window.popleft().result()

    def _write(self, batch: list[_Read]) -> bool:
        """Write one batch; False when the database refused it (what is left is failed)."""
        self.summary.failed += [(r.path, r.error) for r in batch if r.draft is None]
        readable = [r for r in batch if r.draft is not None]
        drafts = [r.draft for r in readable if r.draft is not None]
        try:
            self._check_batch(drafts)
            with self.services.db.write() as session:
                stored = [(ingest_in(session, self.services, d), d.inbound) for d in drafts]
        except TEMPORARY_ERRORS as exc:
            log.error("email ingest: the database refused a batch (%s)", type(exc).__name__)
            self.summary.failed += [(r.path, UNAVAILABLE) for r in readable]
            return False
        except Exception as exc:
            log.warning(
                "email ingest: a batch failed (%s); writing it one email at a time",
                type(exc).__name__,
            )
            return self._write_one_by_one(readable)
        for receipt, inbound in stored:
            publish_receipt(self.services, receipt)  # as `ingest` does for one message
            self._count(receipt, inbound)
        return True

    def _write_one_by_one(self, batch: list[_Read]) -> bool:
        for position, read in enumerate(batch):
            try:
                prepared = self.receiver.prepare(read.path.read_bytes(), tags=self.tags)
                receipt, inbound = self.receiver.deliver(prepared)
            except TemporaryFailure:
                self.summary.failed += [(r.path, UNAVAILABLE) for r in batch[position:]]
                return False
            except Exception as exc:  # not even storable as unprocessable: report it
                log.error("email ingest: %s not stored (%s)", read.path, type(exc).__name__)
                self.summary.failed.append((read.path, type(exc).__name__))
                continue
            self._count(receipt, inbound)
        return True

    def _check_batch(self, drafts: list[Draft]) -> None:
        """What needs the database before the write, in one read for the whole batch:
        bounces find their ticket, and the sender rate is counted (unless nothing will be
        answered anyway), earlier drafts of the batch included."""
        senders = [d.inbound.sender.email for d in drafts]
        with self.services.db.read() as session:
            for draft in drafts:
                if BOUNCE_OF in draft.inbound.metadata:
                    draft.inbound = self.receiver.thread_bounce(session, draft.inbound)
            if self.tags:
                return
            earlier = Counter(
                recent_messages(session, self.services.settings, {s for s in senders if s})
            )
        for draft, sender in zip(drafts, senders, strict=True):
            if sender is None:
                continue
            if over_rate(earlier[sender], self.services.settings):
                draft.inbound = with_tags(draft.inbound, (RATE_LIMITED,))
            earlier[sender] += 1

    def _count(self, receipt: Receipt, inbound: Inbound) -> None:
        if receipt.replayed:
            self.summary.duplicates += 1
            return
        if _NEEDS_A_LOOK.intersection(inbound.tags):
            self.summary.unprocessable += 1
        else:
            self.summary.ingested += 1


def _batches(reads: Iterator[_Read], size: int) -> Iterator[list[_Read]]:
    batch: list[_Read] = []
    for read in reads:
        batch.append(read)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_WORKER_INGEST: BulkIngest | None = None


def _worker_started(bulk: BulkIngest) -> None:
    """In each worker process (forked: `bulk` is the parent's, not a pickled copy)."""
    global _WORKER_INGEST
    _WORKER_INGEST = bulk
    # The parent's pooled connections must never be used, nor closed, from here.
    bulk.services.db.engine.dispose(close=False)


def _read_chunk(paths: list[Path]) -> list[_Read]:
    assert _WORKER_INGEST is not None
    return [_WORKER_INGEST.read(p) for p in paths]


def default_jobs() -> int:
    """Worker processes for reading: one per core, at most two (the writer needs one too)."""
    return max(1, min(2, os.cpu_count() or 1))
