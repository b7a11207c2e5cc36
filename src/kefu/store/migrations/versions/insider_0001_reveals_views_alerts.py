"""Insider-threat controls: revealed customer fields, customer views, unusual-access alerts.

Revision ID: insider_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "insider_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewer", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_customer_views_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_views")),
    )
    with op.batch_alter_table("customer_views", schema=None) as batch_op:
        batch_op.create_index("ix_customer_views_viewer_at", ["viewer", "viewed_at"], unique=False)

    op.create_table(
        "field_reveals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewer", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_field_reveals_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_reveals")),
    )
    with op.batch_alter_table("field_reveals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_field_reveals_lookup", ["viewer", "customer_id", "expires_at"], unique=False
        )

    op.create_table(
        "access_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("viewer", sa.String(length=40), nullable=False),
        sa.Column("distinct_customers", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_agent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reviewed_by_agent_id"],
            ["agents.id"],
            name=op.f("fk_access_alerts_reviewed_by_agent_id_agents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_alerts")),
    )
    with op.batch_alter_table("access_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_access_alerts_viewer", ["viewer", "reviewed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("access_alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_access_alerts_viewer")

    op.drop_table("access_alerts")
    with op.batch_alter_table("field_reveals", schema=None) as batch_op:
        batch_op.drop_index("ix_field_reveals_lookup")

    op.drop_table("field_reveals")
    with op.batch_alter_table("customer_views", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_views_viewer_at")

    op.drop_table("customer_views")
