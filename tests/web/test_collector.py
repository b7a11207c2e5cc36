"""The serving process's garbage collector (web/runtime.py): ticks collect what is young
and freeze what survives; cycles among frozen objects wait for a full pass, which comes
when memory has grown or the interval has passed."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from kefu.services import Services
from kefu.web import runtime
from kefu.web.runtime import TieredCollector, serving_runtime


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> tuple[Node, weakref.ref[Node]]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return a, weakref.ref(a)


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test process's objects go back to the ordinary generations
    gc.collect()


def test_a_tick_collects_young_garbage_cycles_and_freezes_what_survives() -> None:
    collector = TieredCollector(full_pass_seconds=float("inf"), peak_memory=lambda: 100)
    garbage, garbage_ref = _cycle()
    kept = Node()
    del garbage
    frozen_before = gc.get_freeze_count()
    collector.tick()
    assert garbage_ref() is None  # the young cycle was collected
    assert gc.get_freeze_count() > frozen_before
    assert all(obj is not kept for obj in gc.get_objects())  # frozen: no pass walks it
    assert collector.full_passes == 0


def test_a_frozen_cycle_waits_for_the_full_pass_that_memory_growth_brings() -> None:
    memory = [100]
    collector = TieredCollector(
        growth=1.5, min_growth=30, full_pass_seconds=float("inf"), peak_memory=lambda: memory[0]
    )
    cycle, cycle_ref = _cycle()
    collector.tick()  # alive at the tick: frozen
    del cycle
    gc.collect()
    assert cycle_ref() is not None  # garbage now, but frozen: ordinary passes leave it
    memory[0] = 140
    collector.tick()
    assert cycle_ref() is not None and collector.full_passes == 0  # grown by less than half
    memory[0] = 150
    collector.tick()
    assert collector.full_passes == 1
    assert cycle_ref() is None


def test_a_full_pass_comes_at_least_once_per_interval() -> None:
    collector = TieredCollector(full_pass_seconds=0.0, peak_memory=lambda: 100)
    cycle, cycle_ref = _cycle()
    collector.tick()
    del cycle
    collector.tick()
    assert collector.full_passes == 2
    assert cycle_ref() is None


def test_only_a_process_tuned_for_serving_runs_the_collector(
    monkeypatch: pytest.MonkeyPatch, services: Services
) -> None:
    async def started(serving: bool) -> TieredCollector | None:
        monkeypatch.setattr(runtime, "_serving", serving)
        async with serving_runtime(services.db) as collector:
            await asyncio.sleep(0)
            return collector

    assert asyncio.run(started(False)) is None  # tests and short commands: untouched
    assert isinstance(asyncio.run(started(True)), TieredCollector)


def test_growth_below_the_minimum_brings_no_full_pass() -> None:
    memory = [100]
    collector = TieredCollector(
        growth=1.5, min_growth=80, full_pass_seconds=float("inf"), peak_memory=lambda: memory[0]
    )
    memory[0] = 170  # grown by 70 %, but by less than the minimum: a warming process
    collector.tick()
    assert collector.full_passes == 0
    memory[0] = 180
    collector.tick()
    assert collector.full_passes == 1
