"""Trust: the official-identity registry and account actions (freeze / unfreeze).

Revision ID: trust_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "trust_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "official_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("display", sa.String(length=320), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_by_agent_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_official_identities_created_by_agent_id_agents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official_identities")),
        sa.UniqueConstraint("kind", "value", name=op.f("uq_official_identities_kind_value")),
    )
    op.create_table(
        "account_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by_kind", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("exchange_ref", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_account_actions_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_account_actions_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_actions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_account_actions_idempotency_key")),
    )
    with op.batch_alter_table("account_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_actions_uid"), ["uid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_actions_uid"))
    op.drop_table("account_actions")
    op.drop_table("official_identities")
