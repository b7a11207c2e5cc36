"""The inbox's order as an index: tickets.open_rank (generated) and two indexes over it.

`open_rank` is the priority's rank while a ticket is new, open, pending or on hold, NULL
after. (open_rank, updated_at, id) is then the inbox's "most urgent, then longest waiting"
order, read straight from an index instead of sorting every open ticket; the same behind
the assignee serves "mine" and "unassigned". SQLite can only add a VIRTUAL generated
column (computed on read, indexable); PostgreSQL only a STORED one.

Revision ID: workspace_0002
Revises: workspace_0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "workspace_0002"
down_revision: str | None = "workspace_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_RANK_SQL = (
    "CASE WHEN status IN ('new', 'open', 'pending', 'on_hold') THEN "
    "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 "
    "WHEN 'low' THEN 3 ELSE 4 END END"
)


def upgrade() -> None:
    stored = "VIRTUAL" if op.get_bind().dialect.name == "sqlite" else "STORED"
    op.execute(
        f"ALTER TABLE tickets ADD COLUMN open_rank INTEGER "
        f"GENERATED ALWAYS AS ({OPEN_RANK_SQL}) {stored}"
    )
    op.create_index("ix_tickets_open_queue", "tickets", ["open_rank", "updated_at", "id"])
    op.create_index(
        "ix_tickets_assignee_queue", "tickets", ["assignee_id", "open_rank", "updated_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_assignee_queue", "tickets")
    op.drop_index("ix_tickets_open_queue", "tickets")
    op.drop_column("tickets", "open_rank")
