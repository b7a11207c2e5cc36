"""The running service's parts, built once from Settings and passed down explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from kefu.live.hub import LiveHub, MemoryLiveHub
from kefu.ratelimit import Limits, RateLimiter, build_limiter, limits_from
from kefu.settings import Settings
from kefu.store.db import Database, open_database
from kefu.store.files import FileStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    db: Database
    files: FileStore
    live: LiveHub
    limiter: RateLimiter = field(default_factory=RateLimiter)

    @cached_property
    def limits(self) -> Limits:
        """Every limit, from the settings, built once (a chat message checks two)."""
        return limits_from(self.settings)


def _live_hub(settings: Settings) -> LiveHub:
    if settings.redis_url:
        from kefu.live.redis import RedisLiveHub

        return RedisLiveHub(settings.redis_url)
    if settings.live_peers:
        from kefu.live.peers import PeerLiveHub

        return PeerLiveHub(settings.var_dir / "live")
    return MemoryLiveHub()


def build_services(settings: Settings) -> Services:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return Services(
        settings=settings,
        db=open_database(settings.resolved_database_url()),
        files=FileStore(settings.attachments_dir),
        live=_live_hub(settings),
        limiter=build_limiter(settings),
    )
