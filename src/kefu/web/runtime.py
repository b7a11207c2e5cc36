"""Process settings for serving (not for tests or the CLI's short commands).

The garbage collector, tiered. CPython's cyclic collector pauses the whole process for
as long as it takes to walk the objects of the generations it collects, about 0.6 µs per
object here. A web process holding 10,000 open chat widgets has ~2 million such objects
(their sockets, tasks, frames); every full pass over them stopped the process for
1.3–1.5 s, and its young passes, which count allocations rather than time, grew to
hundreds of thousands of objects and 200–400 ms (docs/subsystems/chat.md).

So while serving, a collector ticks on the event loop every `TICK_SECONDS`: it collects
the young generations — only what was allocated since the last tick is in them — and then
freezes what survived (`gc.freeze`), so that no later pass walks it again. Objects that
die later are still freed by reference counting, which is how nearly all of them die;
only garbage *cycles* among frozen objects wait for a full pass. Those were measured at
51 objects after 65 s of 500 messages/s with 10,000 widgets open, and 0.2 per connection
opened and closed, so full passes are rare: when the process's peak memory has grown by
half, and by 256 MiB, since the last one (as CPython's own rule grows its full passes with
the heap), and at least once every `FULL_PASS_SECONDS`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import resource
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from kefu.store.checkpoints import BackgroundCheckpoints
from kefu.store.db import Database, sqlite_file

log = logging.getLogger(__name__)

# Between ticks CPython's own passes still run, as a safety net for a burst of allocation
# (a large email parsed); they are set high because the ticks do the work.
SERVING_GC_THRESHOLDS = (50_000, 10, 100)
TICK_SECONDS = 0.25
# A full pass when peak memory has grown by half and by at least this much since the last
# one (a process grows by ~100 MB as it warms up; that alone is no reason for a pause).
FULL_PASS_GROWTH = 1.5
FULL_PASS_MIN_GROWTH_KIB = 256 * 1024
FULL_PASS_SECONDS = 24 * 3600

_serving = False


def tune_for_serving() -> None:
    """Called once by `kefu serve` before the app starts; the collector ticks from then."""
    global _serving
    gc.collect()
    gc.freeze()  # what startup built (routes, models, word lists) is never walked again
    gc.set_threshold(*SERVING_GC_THRESHOLDS)
    _serving = True


def _peak_memory() -> int:
    """Peak resident memory in KiB (Linux reports KiB; macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


class TieredCollector:
    """See the module docstring. `tick()` is one step; `run()` repeats it on the loop."""

    def __init__(
        self,
        growth: float = FULL_PASS_GROWTH,
        min_growth: int = FULL_PASS_MIN_GROWTH_KIB,
        full_pass_seconds: float = FULL_PASS_SECONDS,
        peak_memory: Callable[[], int] = _peak_memory,
    ) -> None:
        self._growth = growth
        self._min_growth = min_growth
        self._full_pass_seconds = full_pass_seconds
        self._peak_memory = peak_memory
        self._last_full = time.monotonic()
        self._memory_at_last_full = self._peak_memory()
        self.full_passes = 0

    def tick(self) -> None:
        gc.collect(1)  # the young generations: what was allocated since the last tick
        gc.freeze()
        if self._full_pass_due():
            self.full_pass()

    def full_pass(self) -> None:
        """Walk everything once (frozen cycles that became garbage are collected)."""
        started = time.perf_counter()
        gc.unfreeze()
        collected = gc.collect()
        gc.freeze()
        self.full_passes += 1
        self._last_full = time.monotonic()
        self._memory_at_last_full = self._peak_memory()
        log.info(
            "full garbage collection: %d objects collected in %.0f ms",
            collected,
            1000 * (time.perf_counter() - started),
        )

    def _full_pass_due(self) -> bool:
        if time.monotonic() - self._last_full >= self._full_pass_seconds:
            return True
        peak = self._peak_memory()
        grown = peak - self._memory_at_last_full
        return peak >= self._growth * self._memory_at_last_full and grown >= self._min_growth

    async def run(self, seconds: float = TICK_SECONDS) -> None:
        while True:
            await asyncio.sleep(seconds)
            self.tick()


@asynccontextmanager
async def serving_runtime(db: Database) -> AsyncIterator[TieredCollector | None]:
    """While the app runs, in a process tuned for serving (only): the collector's ticks and,
    on a SQLite file, WAL checkpoints in a thread of their own (store/checkpoints.py)."""
    if not _serving:
        yield None
        return
    collector = TieredCollector()
    ticking = asyncio.create_task(collector.run(), name="kefu-gc")
    checkpoints = BackgroundCheckpoints(db.engine).start() if sqlite_file(db.engine.url) else None
    try:
        yield collector
    finally:
        ticking.cancel()
        if checkpoints is not None:
            checkpoints.stop()
