"""Ticket search terms folded and stemmed the help center's way; every row indexed again.

See store/search_terms.py. SQLite: the FTS5 tables and triggers stay; their terms are
emptied and computed again by the current `kefu_terms`. PostgreSQL: the expression indexes
over the PL/pgSQL `kefu_terms` give way to `message_terms`/`subject_terms` tables whose
terms kefu computes in Python (triggers mark new and changed rows as stale, kefu fills
them when it commits; here for every existing row).

Revision ID: search_0003
Revises: search_0001
"""

from collections.abc import Sequence

from alembic import op

from kefu.store.search_terms import POSTGRES_FUNCTION, fill_stale_terms

revision: str = "search_0003"
down_revision: str | None = "search_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = (
    "INSERT INTO message_terms(message_terms) VALUES ('delete-all')",
    "INSERT INTO message_terms(rowid, terms) SELECT id, kefu_terms(body_text) FROM messages",
    "INSERT INTO subject_terms(subject_terms) VALUES ('delete-all')",
    "INSERT INTO subject_terms(rowid, terms) SELECT id, kefu_terms(subject) FROM tickets",
)
POSTGRES = (
    "DROP INDEX ix_messages_terms",
    "DROP INDEX ix_tickets_subject_terms",
    "DROP FUNCTION kefu_terms(text)",
    "CREATE TABLE message_terms "
    "(id integer PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE, terms tsvector)",
    "CREATE INDEX message_terms_gin ON message_terms USING gin (terms)",
    "CREATE INDEX message_terms_stale ON message_terms (id) WHERE terms IS NULL",
    "CREATE FUNCTION message_terms_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO message_terms (id) VALUES (NEW.id) "
    "ON CONFLICT (id) DO UPDATE SET terms = NULL; RETURN NULL; END $$",
    "CREATE TRIGGER message_terms_stale AFTER INSERT OR UPDATE OF body_text ON messages "
    "FOR EACH ROW EXECUTE FUNCTION message_terms_stale()",
    "INSERT INTO message_terms (id) SELECT id FROM messages",
    "CREATE TABLE subject_terms "
    "(id integer PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE, terms tsvector)",
    "CREATE INDEX subject_terms_gin ON subject_terms USING gin (terms)",
    "CREATE INDEX subject_terms_stale ON subject_terms (id) WHERE terms IS NULL",
    "CREATE FUNCTION subject_terms_stale() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO subject_terms (id) VALUES (NEW.id) "
    "ON CONFLICT (id) DO UPDATE SET terms = NULL; RETURN NULL; END $$",
    "CREATE TRIGGER subject_terms_stale AFTER INSERT OR UPDATE OF subject ON tickets "
    "FOR EACH ROW EXECUTE FUNCTION subject_terms_stale()",
    "INSERT INTO subject_terms (id) SELECT id FROM tickets",
)
POSTGRES_DOWN = (
    "DROP TRIGGER message_terms_stale ON messages",
    "DROP FUNCTION message_terms_stale()",
    "DROP TABLE message_terms",
    "DROP TRIGGER subject_terms_stale ON tickets",
    "DROP FUNCTION subject_terms_stale()",
    "DROP TABLE subject_terms",
    POSTGRES_FUNCTION,
    "CREATE INDEX ix_messages_terms ON messages "
    "USING gin (to_tsvector('simple'::regconfig, kefu_terms(body_text)))",
    "CREATE INDEX ix_tickets_subject_terms ON tickets "
    "USING gin (to_tsvector('simple'::regconfig, kefu_terms(subject)))",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE:
            op.execute(statement)
        return
    for statement in POSTGRES:
        op.execute(statement)
    fill_stale_terms(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # the triggers call whatever `kefu_terms` the running code registers
    for statement in POSTGRES_DOWN:
        op.execute(statement)
