"""Chinese-aware search of messages and subjects, terms computed by the database.

See store/search_terms.py. SQLite: contentless FTS5 tables kept by triggers.
PostgreSQL: GIN expression indexes.

Revision ID: search_0001
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

from kefu.store.search_terms import POSTGRES_FUNCTION

revision: str = "search_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = (
    "CREATE VIRTUAL TABLE message_terms USING fts5(terms, content='', tokenize='unicode61')",
    "CREATE TRIGGER message_terms_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO message_terms(rowid, terms) VALUES (new.id, kefu_terms(new.body_text)); END",
    "CREATE TRIGGER message_terms_update AFTER UPDATE OF body_text ON messages BEGIN "
    "INSERT INTO message_terms(message_terms, rowid, terms) "
    "VALUES ('delete', old.id, kefu_terms(old.body_text)); "
    "INSERT INTO message_terms(rowid, terms) VALUES (new.id, kefu_terms(new.body_text)); END",
    "CREATE TRIGGER message_terms_delete AFTER DELETE ON messages BEGIN "
    "INSERT INTO message_terms(message_terms, rowid, terms) "
    "VALUES ('delete', old.id, kefu_terms(old.body_text)); END",
    "INSERT INTO message_terms(rowid, terms) SELECT id, kefu_terms(body_text) FROM messages",
    "CREATE VIRTUAL TABLE subject_terms USING fts5(terms, content='', tokenize='unicode61')",
    "CREATE TRIGGER subject_terms_insert AFTER INSERT ON tickets BEGIN "
    "INSERT INTO subject_terms(rowid, terms) VALUES (new.id, kefu_terms(new.subject)); END",
    "CREATE TRIGGER subject_terms_update AFTER UPDATE OF subject ON tickets BEGIN "
    "INSERT INTO subject_terms(subject_terms, rowid, terms) "
    "VALUES ('delete', old.id, kefu_terms(old.subject)); "
    "INSERT INTO subject_terms(rowid, terms) VALUES (new.id, kefu_terms(new.subject)); END",
    "INSERT INTO subject_terms(rowid, terms) SELECT id, kefu_terms(subject) FROM tickets",
)
POSTGRES = (
    POSTGRES_FUNCTION,
    "CREATE INDEX ix_messages_terms ON messages "
    "USING gin (to_tsvector('simple'::regconfig, kefu_terms(body_text)))",
    "CREATE INDEX ix_tickets_subject_terms ON tickets "
    "USING gin (to_tsvector('simple'::regconfig, kefu_terms(subject)))",
)


def upgrade() -> None:
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER message_terms_{name}")
        for name in ("insert", "update"):
            op.execute(f"DROP TRIGGER subject_terms_{name}")
        op.execute("DROP TABLE message_terms")
        op.execute("DROP TABLE subject_terms")
    else:
        op.execute("DROP INDEX ix_messages_terms")
        op.execute("DROP INDEX ix_tickets_subject_terms")
        op.execute("DROP FUNCTION kefu_terms(text)")
