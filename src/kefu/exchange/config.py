"""Where the exchange adapter is and how kefu authenticates to it, from Settings."""

from __future__ import annotations

from kefu.errors import Unavailable
from kefu.settings import Settings

DEMO_MOUNT = "/demo-exchange"


def uses_demo_exchange(settings: Settings) -> bool:
    """Demo deployments without a configured adapter talk to the built-in demo exchange."""
    return settings.is_demo and not settings.exchange_url


def adapter_url(settings: Settings) -> str:
    if settings.exchange_url:
        return settings.exchange_url.rstrip("/")
    if uses_demo_exchange(settings):
        return settings.public_base_url.rstrip("/") + DEMO_MOUNT
    raise Unavailable("trust.exchange_not_configured")


def adapter_secret(settings: Settings) -> str:
    if settings.exchange_secret:
        return settings.exchange_secret
    if settings.is_demo:
        # Both ends live in this process, so a derived secret is shared without setup.
        return "demo-exchange-" + settings.resolved_secret_key()[:24]
    raise Unavailable("trust.exchange_not_configured")
