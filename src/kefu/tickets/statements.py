"""The statements every ticket and message write runs, built once (see store/prebuilt.py).

Intake (ingest/steps/persist.py) and the chat bot's turns write these rows while the
database's write lock is held, many times a second: plain prebuilt statements, no ORM
flush. Callers give every column that has a Python-side default.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kefu.store.models import Message, Ticket
from kefu.store.prebuilt import Prebuilt, PrebuiltRow

TICKETS = cast(Table, Ticket.__table__)
MESSAGES = cast(Table, Message.__table__)

INSERT_TICKET = Prebuilt(insert(TICKETS).returning(TICKETS.c.id))
# The columns set are the parameters given (one compiled form per set of names).
UPDATE_TICKET = Prebuilt(update(TICKETS).where(TICKETS.c.id == bindparam("ticket_id")))
INSERT_MESSAGE = Prebuilt(insert(MESSAGES).returning(MESSAGES.c.id))
UPDATE_MESSAGE = Prebuilt(update(MESSAGES).where(MESSAGES.c.id == bindparam("message_id")))
# A ticket a message continues, loaded as `session.get` would (see PrebuiltRow).
TICKET_ROW = PrebuiltRow(Ticket, TICKETS.c.id == bindparam("ticket_id"))


def write_through(
    session: Session, statement: Prebuilt, key: dict[str, int], row: object, values: dict[str, Any]
) -> None:
    """Set `values` with one UPDATE statement, and on the loaded `row` as committed: the
    object stays true to the database and the session has nothing to flush."""
    statement.run(session.connection(), {**key, **values})
    for column, value in values.items():
        set_committed_value(row, column, value)
