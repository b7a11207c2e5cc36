"""Row ids: 64-bit signed integers in both databases.

A larger number can name no row; SQLite's driver cannot even bind it (OverflowError), so
ids from outside are bounded at the API (`RowId`) or checked before a lookup.
"""

from __future__ import annotations

MAX_ROW_ID = 2**63 - 1


def can_be_row_id(value: int) -> bool:
    return 0 < value <= MAX_ROW_ID
