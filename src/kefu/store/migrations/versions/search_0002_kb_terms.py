"""Help-center search on the database's full-text engine: analysed terms per article version.

One row per published article language version in `kb_search_docs`, its fields as
space-separated terms produced by kefu's analyser (kb/search/analyzer.py) — the database
only matches whole pre-analysed terms and never splits them further.
SQLite: an external-content FTS5 table over the four term columns (kept by triggers) and
an fts5vocab table for document frequencies. PostgreSQL: a tsvector built from the term
array (`array_to_tsvector`, no parser involved) with a GIN index.

Revision ID: search_0002
Revises: kb_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "search_0002"
down_revision: str | None = "kb_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("title", "tags", "summary", "body")
# '~' starts CJK bigram terms, '_' joins multi-word concepts: both stay inside a term, and
# nothing else splits a term (they are lowercase latin, digits or CJK characters).
SQLITE = (
    "CREATE VIRTUAL TABLE kb_search_fts USING fts5(title, tags, summary, body, "
    "content='kb_search_docs', content_rowid='id', "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars '~_'\")",
    "CREATE VIRTUAL TABLE kb_search_vocab USING fts5vocab(kb_search_fts, 'row')",
    "CREATE TRIGGER kb_search_docs_insert AFTER INSERT ON kb_search_docs BEGIN "
    "INSERT INTO kb_search_fts(rowid, title, tags, summary, body) "
    "VALUES (new.id, new.title, new.tags, new.summary, new.body); END",
    "CREATE TRIGGER kb_search_docs_delete AFTER DELETE ON kb_search_docs BEGIN "
    "INSERT INTO kb_search_fts(kb_search_fts, rowid, title, tags, summary, body) "
    "VALUES ('delete', old.id, old.title, old.tags, old.summary, old.body); END",
    "CREATE TRIGGER kb_search_docs_update AFTER UPDATE ON kb_search_docs BEGIN "
    "INSERT INTO kb_search_fts(kb_search_fts, rowid, title, tags, summary, body) "
    "VALUES ('delete', old.id, old.title, old.tags, old.summary, old.body); "
    "INSERT INTO kb_search_fts(rowid, title, tags, summary, body) "
    "VALUES (new.id, new.title, new.tags, new.summary, new.body); END",
)
POSTGRES = (
    "ALTER TABLE kb_search_docs ADD COLUMN terms tsvector NOT NULL",
    "CREATE INDEX ix_kb_search_docs_terms ON kb_search_docs USING gin (terms)",
)


def upgrade() -> None:
    op.create_table(
        "kb_search_docs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in FIELDS),
        *(sa.Column(f"{name}_length", sa.Integer(), nullable=False) for name in FIELDS),
        sa.Column("surfaces", sa.Text(), nullable=False),
        # The version as shown (hits, snippets, suggestions), body as plain text.
        sa.Column("title_text", sa.Text(), nullable=False),
        sa.Column("summary_text", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_spans", sa.Text(), nullable=False),  # "start:end" per body term
        sa.Column("title_folded", sa.Text(), nullable=False),
        sa.Column("tags_folded", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["kb_articles.id"],
            name="fk_kb_search_docs_article_id_kb_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_kb_search_docs"),
        sa.UniqueConstraint("article_id", "language", name="uq_kb_search_docs_article_id_language"),
    )
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER kb_search_docs_{name}")
        op.execute("DROP TABLE kb_search_vocab")
        op.execute("DROP TABLE kb_search_fts")
    op.drop_table("kb_search_docs")
