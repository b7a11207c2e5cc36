"""The shared rate-limit facility: sliding windows, in memory and through Redis."""

from __future__ import annotations

import uuid

import pytest

from kefu.ratelimit import (
    Limit,
    MemoryCounters,
    RateLimited,
    RateLimiter,
    RedisCounters,
    Window,
)
from tests.conftest import REDIS_URL


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_hits_within_the_limit_pass_and_the_next_one_is_refused_with_a_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(MemoryCounters(), clock=clock)
    limit = Limit("t", 3, 60)
    assert [limiter.allow(limit, "ip:1") for _ in range(3)] == [0, 0, 0]
    wait = limiter.allow(limit, "ip:1")
    assert 1 <= wait <= 120
    assert limiter.allow(limit, "ip:2") == 0  # another key has its own counter


def test_the_window_slides_so_a_burst_across_a_boundary_is_still_caught() -> None:
    limit = Limit("t", 10, 10)
    clock = Clock(1_000_000.0 - 0.01)  # just before a fixed-window boundary
    limiter = RateLimiter(MemoryCounters(), clock=clock)
    waits = [limiter.allow(limit, "k") for _ in range(5)]
    clock.now += 0.02
    waits += [limiter.allow(limit, "k") for _ in range(7)]
    assert waits.count(0) == 10 and all(w >= 1 for w in waits[10:])


def test_a_limited_key_is_allowed_again_once_the_wait_has_passed() -> None:
    clock = Clock()
    limiter = RateLimiter(MemoryCounters(), clock=clock)
    limit = Limit("t", 2, 30)
    limiter.allow(limit, "k")
    limiter.allow(limit, "k")
    wait = limiter.allow(limit, "k")
    assert wait > 0
    clock.now += wait
    assert limiter.allow(limit, "k") == 0


def test_any_key_over_its_limit_refuses_the_request() -> None:
    limiter = RateLimiter(MemoryCounters(), clock=Clock())
    limit = Limit("t", 1, 60)
    limiter.allow(limit, "ip:shared")
    with pytest.raises(RateLimited) as refused:
        limiter.check(limit, "agent:new", "ip:shared")
    assert refused.value.status == 429 and refused.value.retry_after >= 1
    assert refused.value.params["seconds"] == refused.value.retry_after


def test_a_disabled_limiter_counts_nothing() -> None:
    limiter = RateLimiter(MemoryCounters(), clock=Clock(), enabled=False)
    assert all(limiter.allow(Limit("t", 1, 60), "k") == 0 for _ in range(5))


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # 8 s until this window ends, then 6 s until 5 × (1 - 6/10) + 1 hit ≤ 3
        (Window(current=5, previous=0, elapsed=2.0), 14),
        # 4 × 1/2 + 2 = 4 now; room for one more only when the previous window is gone
        (Window(current=2, previous=4, elapsed=5.0), 5),
        (Window(current=1, previous=4, elapsed=5.0), 0),
    ],
)
def test_the_wait_is_when_one_more_hit_fits(window: Window, expected: int) -> None:
    assert window.wait(Limit("t", 3, 10)) == expected


@pytest.mark.redis
def test_processes_sharing_redis_share_their_counters() -> None:
    prefix = uuid.uuid4().hex  # one test run's keys never meet another's
    clock = Clock()
    node_a = RateLimiter(RedisCounters(REDIS_URL), clock=clock)
    node_b = RateLimiter(RedisCounters(REDIS_URL), clock=clock)
    limit = Limit(f"t{prefix}", 4, 60)
    assert [node_a.allow(limit, "ip:1") for _ in range(2)] == [0, 0]
    assert [node_b.allow(limit, "ip:1") for _ in range(2)] == [0, 0]
    assert node_a.allow(limit, "ip:1") > 0
    assert node_b.allow(limit, "ip:1") > 0
    assert node_b.allow(limit, "ip:2") == 0


def test_redis_down_lets_requests_through() -> None:
    limiter = RateLimiter(RedisCounters("redis://127.0.0.1:1/0"), clock=Clock())
    assert all(limiter.allow(Limit("t", 1, 60), "k") == 0 for _ in range(3))


def test_memory_counters_forget_windows_that_no_longer_matter() -> None:
    counters = MemoryCounters(max_keys=3)
    limiter = RateLimiter(counters, clock=Clock(1_000_000.0))
    limit = Limit("t", 5, 10)
    for key in ("a", "b", "c"):
        limiter.allow(limit, key)
    limiter.clock = Clock(1_000_100.0)  # long after: the old windows are dropped
    limiter.allow(limit, "d")
    assert len(counters) == 1
