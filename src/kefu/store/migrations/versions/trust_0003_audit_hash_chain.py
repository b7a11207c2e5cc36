"""Trust: chain the audit trail by hash (`events.chain_hash`) and backfill existing rows.

The append-only triggers are lifted only for the backfill, inside this migration's
transaction, and restored before it commits.

Revision ID: trust_0003
Revises: trust_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kefu.audit import GENESIS, chain_hash
from kefu.store.models.base import UTCDateTime

revision: str = "trust_0003"
down_revision: str | None = "trust_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As created by 0001.
SQLITE_UPDATE_TRIGGER = (
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
    "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
)
# The columns as 0001 made them, so this migration does not follow later model changes.
EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer()),
    sa.column("ticket_id", sa.Integer()),
    sa.column("actor_kind", sa.String()),
    sa.column("actor_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("data", sa.JSON()),
    sa.column("created_at", UTCDateTime()),
    sa.column("chain_hash", sa.String()),
)


def upgrade() -> None:
    op.add_column("events", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TRIGGER events_no_update")
    else:
        op.execute("ALTER TABLE events DISABLE TRIGGER events_append_only")
    _backfill(op.get_bind())
    if sqlite:
        op.execute(SQLITE_UPDATE_TRIGGER)
    else:
        op.execute("ALTER TABLE events ENABLE TRIGGER events_append_only")


def _backfill(connection: sa.Connection) -> None:
    """Chain the events written before this migration, in id order."""
    previous = GENESIS
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for row in rows:
        previous = chain_hash(previous, row)
        connection.execute(
            sa.update(EVENTS).where(EVENTS.c.id == row["id"]).values(chain_hash=previous)
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild would lose the triggers.
    op.drop_column("events", "chain_hash")
