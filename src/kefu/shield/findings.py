"""What a detector reports: the kind and the place of a secret, never its value."""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = (
    "seed_phrase",
    "private_key",
    "api_secret",
    "password",
    "verification_code",
    "card_number",
)


@dataclass(frozen=True)
class Finding:
    """A secret found in the original text: what kind and where, never the value."""

    kind: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start
