"""Finding long alphanumeric tokens, where keys, WIFs and API secrets live."""

from __future__ import annotations

from kefu.shield.scan import Scan

MIN_LENGTH = 26
_NEEDLE = b"a" * MIN_LENGTH


def long_tokens(scan: Scan) -> list[tuple[int, int]]:
    """Spans of maximal ASCII-alphanumeric runs of at least 26 characters.

    `bytes.find` on the shape view runs at memory speed; most messages have no
    such run and cost nothing more.
    """
    shape = scan.token_shape
    pos = shape.find(_NEEDLE)
    spans = []
    while pos >= 0:
        end = shape.find(b" ", pos)
        if end < 0:
            end = len(shape)
        spans.append((pos, end))
        pos = shape.find(_NEEDLE, end)
    return spans
