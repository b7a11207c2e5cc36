"""Trust: four-eyes unfreeze requests (one security agent asks, another approves).

Revision ID: trust_0002
Revises: trust_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "trust_0002"
down_revision: str | None = "trust_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unfreeze_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by_agent_id", sa.Integer(), nullable=False),
        sa.Column("approved_by_agent_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_unfreeze_requests_requested_by_agent_id_agents"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_unfreeze_requests_approved_by_agent_id_agents"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_unfreeze_requests_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unfreeze_requests")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_unfreeze_requests_idempotency_key")),
    )
    with op.batch_alter_table("unfreeze_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unfreeze_requests_uid"), ["uid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unfreeze_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unfreeze_requests_uid"))
    op.drop_table("unfreeze_requests")
