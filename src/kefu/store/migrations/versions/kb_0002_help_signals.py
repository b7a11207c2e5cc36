"""Help center: the signals its reports count (searches without results, deflections).

Revision ID: kb_0002
Revises: search_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "kb_0002"
down_revision: str | None = "search_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kb_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("form_id", sa.String(length=64), nullable=True),
        sa.Column("ticket_filed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["kb_articles.id"],
            name=op.f("fk_kb_signals_article_id_kb_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_signals")),
    )
    op.create_index("ix_kb_signals_kind_created", "kb_signals", ["kind", "created_at"])
    op.create_index("ix_kb_signals_form", "kb_signals", ["form_id"])


def downgrade() -> None:
    op.drop_table("kb_signals")
