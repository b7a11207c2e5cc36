"""Time-based one-time codes (RFC 6238) for agents, with replay protection."""

from __future__ import annotations

import time

import pyotp
import segno

ISSUER = "kefu"


def new_totp_secret() -> str:
    return pyotp.random_base32()


def current_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def accepted_step(secret: str, code: str, last_step: int, now: float | None = None) -> int | None:
    """The time step `code` matches (±1 step of clock drift), if newer than `last_step`.

    Returning the step lets the caller store it, so one code is never accepted twice.
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step_now = int((now if now is not None else time.time()) // totp.interval)
    for step in (step_now, step_now - 1, step_now + 1):
        if step > last_step and totp.at(step * totp.interval) == code:
            return step
    return None


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG QR code (no network, no image files)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5))
