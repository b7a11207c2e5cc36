"""Attachment checks (first form; issue #3 completes it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttachmentVerdict:
    status: str  # ok / quarantined / refused
    content_type: str
    data: bytes
    reason: str | None = None


def check_attachment(
    filename: str, declared_type: str, data: bytes, max_bytes: int
) -> AttachmentVerdict:
    if len(data) > max_bytes:
        return AttachmentVerdict("refused", declared_type, b"", "too_large")
    return AttachmentVerdict("ok", declared_type, data)
