"""A token bucket per client, in process memory (Redis-backed buckets come with issue #9's
hardening step, for deployments with several web processes)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from kefu.errors import KefuError


class RateLimited(KefuError):
    status = 429
    code = "rate_limited"


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucket:
    """`capacity` requests at once, refilled at `per_second`; buckets idle long are dropped."""

    def __init__(self, capacity: int, per_second: float, max_keys: int = 100_000) -> None:
        self.capacity = capacity
        self.per_second = per_second
        self.max_keys = max_keys
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> bool:
        """Spend one token for `key`; False when it has none left."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.max_keys:
                    self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(float(self.capacity), now)
            bucket.tokens = min(
                self.capacity, bucket.tokens + (now - bucket.updated) * self.per_second
            )
            bucket.updated = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def check(self, key: str) -> None:
        if not self.take(key):
            raise RateLimited("error.rate_limited")

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely holds no information; dropping it is free.
        refill = self.capacity / self.per_second
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}
