"""Finding long alphanumeric tokens, where keys, WIFs and API secrets live."""

from __future__ import annotations

from collections.abc import Iterator

from kefu.shield.scan import Scan

MIN_LENGTH = 26
_NEEDLE = b"a" * MIN_LENGTH


def long_tokens(scan: Scan) -> Iterator[tuple[int, int]]:
    """Spans of maximal ASCII-alphanumeric runs of at least 26 characters.

    `bytes.find` on the shape view runs at memory speed; most messages have no
    such run and cost nothing more.
    """
    shape = scan.token_shape
    pos = shape.find(_NEEDLE)
    while pos >= 0:
        end = shape.find(b" ", pos)
        if end < 0:
            end = len(shape)
        yield pos, end
        pos = shape.find(_NEEDLE, end)
