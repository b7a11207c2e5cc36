"""Raised by a step to end the run early."""

from __future__ import annotations

from kefu.ingest.draft import Receipt


class Duplicate(Exception):
    """The message was already ingested; `receipt` describes the first time."""

    def __init__(self, receipt: Receipt) -> None:
        super().__init__(receipt.ticket_number)
        self.receipt = receipt
