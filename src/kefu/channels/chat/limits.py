"""A token bucket per connection: a flood gets a clear "slow down", never a silent drop."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    capacity: float = 8.0  # a burst of pasted lines is fine
    per_second: float = 1.0  # sustained: one message a second
    tokens: float = 8.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
