"""Rate limits: a sliding window counter per key, in process memory or shared through Redis.

One facility for every limit kefu enforces (agent login, ticket creation, chat messages,
the official-channel verifier). A caller names the `Limit` and the keys it applies to,
typically the client address and the identity ("ip:203.0.113.9", "agent:alice@…");
each key has its own counter and the request is refused when any of them is spent.

With KEFU_REDIS_URL set, counters live in Redis so every web process (`kefu serve` runs
several) shares them; otherwise they live in this process.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kefu.errors import KefuError
from kefu.settings import Settings

log = logging.getLogger(__name__)
REDIS_PREFIX = "kefu:rl:"


class RateLimited(KefuError):
    """429; `retry_after` (seconds) becomes the Retry-After header."""

    status = 429
    code = "rate_limited"

    def __init__(
        self, message_key: str = "hardening.rate_limited", retry_after: int = 1, **params: object
    ) -> None:
        self.retry_after = max(1, retry_after)
        params.setdefault("seconds", self.retry_after)
        super().__init__(message_key, **params)


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per key within any `window_seconds` (a sliding window)."""

    name: str
    count: int
    window_seconds: int


@dataclass(frozen=True)
class Window:
    """Hits counted in the current fixed window and the one before, and how far in we are."""

    current: int
    previous: int
    elapsed: float  # seconds since the current window started

    def estimate(self, seconds: int) -> float:
        """Hits in the last `seconds` (the previous window weighted by its overlap)."""
        return self.previous * (1 - self.elapsed / seconds) + self.current

    def wait(self, limit: Limit) -> int:
        """Seconds until one more hit would be within the limit again (0: this one is)."""
        seconds, room = limit.window_seconds, limit.count - 1
        if self.estimate(seconds) <= limit.count:
            return 0
        if self.current > room:
            # This window must end, then enough of it (as the previous one) slide away.
            later = seconds * (1 - room / self.current)
            return max(1, math.ceil(seconds - self.elapsed + later))
        needed = seconds * (1 - (room - self.current) / self.previous)
        return max(1, math.ceil(needed - self.elapsed))


class CounterStore(Protocol):
    def hit(self, key: str, window_seconds: int, now: float) -> Window:
        """Count one hit for `key` in the fixed window holding `now`."""
        ...


def _window_start(now: float, seconds: int) -> int:
    return math.floor(now / seconds) * seconds


class MemoryCounters:
    """Counters in this process; windows no longer needed are dropped when it fills up."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self.max_keys = max_keys
        # (key, window start) → (hits, when the count stops mattering)
        self._counts: dict[tuple[str, int], tuple[int, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, window_seconds: int, now: float) -> Window:
        start = _window_start(now, window_seconds)
        with self._lock:
            if len(self._counts) >= self.max_keys:
                self._forget_old(now)
            current = self._counts.get((key, start), (0, 0.0))[0] + 1
            self._counts[(key, start)] = (current, start + 2 * window_seconds)
            previous = self._counts.get((key, start - window_seconds), (0, 0.0))[0]
        return Window(current, previous, now - start)

    def __len__(self) -> int:
        return len(self._counts)

    def _forget_old(self, now: float) -> None:
        self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
        if len(self._counts) >= self.max_keys:
            self._counts.clear()  # a flood of distinct keys: start afresh rather than grow


class RedisCounters:
    """Counters in Redis (INCR + EXPIRE per fixed window), shared by all processes."""

    def __init__(self, url: str) -> None:
        import redis

        # Short timeouts: a slow or unreachable Redis must not hold requests up.
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError,)

    def hit(self, key: str, window_seconds: int, now: float) -> Window:
        start = _window_start(now, window_seconds)
        name = f"{REDIS_PREFIX}{key}:"
        try:
            pipe = self._redis.pipeline()
            pipe.incr(name + str(start))
            pipe.expire(name + str(start), 2 * window_seconds + 1)
            pipe.get(name + str(start - window_seconds))
            current, _, previous = pipe.execute()
        except self._errors as exc:
            # A limit is a protection, not a dependency: Redis down lets requests through.
            log.warning("rate limit not checked (%s): %s", key, type(exc).__name__)
            return Window(0, 0, 0.0)
        return Window(int(current), int(previous or 0), now - start)

    def close(self) -> None:
        self._redis.close()


class RateLimiter:
    """Checks `Limit`s against a counter store; see the module docstring."""

    def __init__(
        self,
        counters: CounterStore | None = None,
        clock: Callable[[], float] = time.time,
        enabled: bool = True,
    ) -> None:
        self.counters: CounterStore = MemoryCounters() if counters is None else counters
        self.clock = clock
        self.enabled = enabled

    def allow(self, limit: Limit, *keys: str) -> int:
        """Count a hit on each key; 0 when allowed, else seconds until the client may retry."""
        if not self.enabled:
            return 0
        now = self.clock()
        wait = 0
        for key in keys:
            window = self.counters.hit(f"{limit.name}:{key}", limit.window_seconds, now)
            wait = max(wait, window.wait(limit))
        return wait

    def check(self, limit: Limit, *keys: str, message_key: str = "hardening.rate_limited") -> None:
        """Raise `RateLimited` (429, Retry-After) when any key is over the limit."""
        wait = self.allow(limit, *keys)
        if wait:
            raise RateLimited(message_key, retry_after=wait)


def build_limiter(settings: Settings) -> RateLimiter:
    """Redis-backed when KEFU_REDIS_URL is set, else in this process."""
    url = settings.redis_url
    counters: CounterStore = RedisCounters(url) if url else MemoryCounters()
    return RateLimiter(counters, enabled=settings.rate_limits_enabled)


@dataclass(frozen=True)
class Limits:
    """Every limit kefu applies, from the KEFU_*_LIMIT_* settings."""

    login_ip: Limit
    login_account: Limit
    ticket_ip: Limit
    ticket_customer: Limit
    chat_session: Limit
    chat_ip: Limit
    verify_ip: Limit
    missed_search_ip: Limit


def limits_from(settings: Settings) -> Limits:
    s = settings
    login, ticket = s.login_limit_window_seconds, s.ticket_limit_window_seconds
    chat, verify = s.chat_limit_window_seconds, s.verify_limit_window_seconds
    return Limits(
        login_ip=Limit("login.ip", s.login_limit_per_ip, login),
        login_account=Limit("login.account", s.login_limit_per_account, login),
        ticket_ip=Limit("ticket.ip", s.ticket_limit_per_ip, ticket),
        ticket_customer=Limit("ticket.customer", s.ticket_limit_per_customer, ticket),
        chat_session=Limit("chat.session", s.chat_limit_per_session, chat),
        chat_ip=Limit("chat.ip", s.chat_limit_per_ip, chat),
        verify_ip=Limit("verify.ip", s.verify_limit_per_ip, verify),
        missed_search_ip=Limit(
            "kb.missed.ip", s.missed_search_limit_per_ip, s.missed_search_limit_window_seconds
        ),
    )
