"""HMAC-SHA256 request signing shared by the adapter client and the demo exchange.

The signature covers the method, the path (relative to the adapter base URL, with its
query), the timestamp, a nonce and the SHA-256 of the body, so none of them can be
changed or replayed. See docs/exchange-adapter.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Mapping
from enum import StrEnum

HEADER_TIMESTAMP = "X-Kefu-Timestamp"
HEADER_NONCE = "X-Kefu-Nonce"
HEADER_SIGNATURE = "X-Kefu-Signature"
SIGNATURE_PREFIX = "v1="
MAX_SKEW_SECONDS = 30
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SignatureProblem(StrEnum):
    MISSING = "signature_missing"
    BAD_TIMESTAMP = "timestamp_invalid"
    STALE = "timestamp_out_of_window"
    BAD_NONCE = "nonce_invalid"
    BAD_SIGNATURE = "signature_invalid"
    REPLAYED = "nonce_replayed"


def canonical_request(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join((method.upper(), path, timestamp, nonce, digest)).encode()


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = canonical_request(method, path, timestamp, nonce, body)
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The three headers that authenticate one request."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or secrets.token_urlsafe(18)
    mac = signature(secret, method, path, stamp, nonce, body)
    return {
        HEADER_TIMESTAMP: stamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: SIGNATURE_PREFIX + mac,
    }


class NonceCache:
    """Nonces seen within the timestamp window; older ones fail the timestamp check anyway."""

    def __init__(self, window_seconds: int = 2 * MAX_SKEW_SECONDS) -> None:
        self._window = window_seconds
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_use(self, nonce: str, now: float) -> bool:
        with self._lock:
            if len(self._seen) > 1000:
                self._prune(now)
            if nonce in self._seen:
                return False
            self._seen[nonce] = now
            return True

    def _prune(self, now: float) -> None:
        cutoff = now - self._window
        self._seen = {n: at for n, at in self._seen.items() if at >= cutoff}


def check_signature(
    secret: str,
    method: str,
    path: str,
    body: bytes,
    headers: Mapping[str, str],
    nonces: NonceCache,
    now: float | None = None,
) -> SignatureProblem | None:
    """None when the request is authentic and fresh; else what is wrong with it."""
    now = time.time() if now is None else now
    stamp = headers.get(HEADER_TIMESTAMP.lower()) or headers.get(HEADER_TIMESTAMP)
    nonce = headers.get(HEADER_NONCE.lower()) or headers.get(HEADER_NONCE)
    given = headers.get(HEADER_SIGNATURE.lower()) or headers.get(HEADER_SIGNATURE)
    if not stamp or not nonce or not given:
        return SignatureProblem.MISSING
    if not stamp.isdigit():
        return SignatureProblem.BAD_TIMESTAMP
    if abs(now - int(stamp)) > MAX_SKEW_SECONDS:
        return SignatureProblem.STALE
    if not NONCE_PATTERN.match(nonce):
        return SignatureProblem.BAD_NONCE
    expected = SIGNATURE_PREFIX + signature(secret, method, path, stamp, nonce, body)
    if not hmac.compare_digest(expected, given):
        return SignatureProblem.BAD_SIGNATURE
    # Only an authentic request may use up a nonce, so forgeries cannot block real ones.
    if not nonces.first_use(nonce, now):
        return SignatureProblem.REPLAYED
    return None
