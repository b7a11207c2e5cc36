"""Help center: articles, their translations, revisions and votes.

Revision ID: kb_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "kb_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["article_id"],
        ["kb_articles.id"],
        name=op.f(f"fk_{table}_article_id_kb_articles"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_articles")),
        sa.UniqueConstraint("slug", name=op.f("uq_kb_articles_slug")),
    )
    with op.batch_alter_table("kb_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_articles_category"), ["category"], unique=False)

    op.create_table(
        "kb_article_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("body_markdown", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _article_fk("kb_article_translations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_article_translations")),
        sa.UniqueConstraint(
            "article_id",
            "language",
            name=op.f("uq_kb_article_translations_article_id_language"),
        ),
    )
    op.create_table(
        "kb_article_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("voter_hash", sa.String(length=64), nullable=False),
        _created_at(),
        _article_fk("kb_article_votes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_article_votes")),
        sa.UniqueConstraint(
            "article_id", "voter_hash", name=op.f("uq_kb_article_votes_article_id_voter_hash")
        ),
    )
    op.create_table(
        "kb_article_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("actor_kind", sa.String(length=12), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_kb_article_revisions_agent_id_agents")
        ),
        _article_fk("kb_article_revisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_article_revisions")),
    )
    with op.batch_alter_table("kb_article_revisions", schema=None) as batch_op:
        batch_op.create_index("ix_kb_article_revisions_article", ["article_id", "id"], unique=False)


def downgrade() -> None:
    op.drop_table("kb_article_revisions")
    op.drop_table("kb_article_votes")
    op.drop_table("kb_article_translations")
    with op.batch_alter_table("kb_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_articles_category"))
    op.drop_table("kb_articles")
