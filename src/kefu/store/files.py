"""Attachment bytes on disk, content-addressed (a shared path when there are many nodes)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, data: bytes) -> tuple[str, str]:
        """Store `data` (idempotent); return (storage key, sha256 hex)."""
        digest = hashlib.sha256(data).hexdigest()
        key = f"{digest[:2]}/{digest}"
        path = self.root / key
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic: readers never see half a file
        return key, digest

    def load(self, key: str) -> bytes:
        return (self.root / key).read_bytes()
