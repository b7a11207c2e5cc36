"""The chat bot's turns leave agents' message search.

A bot turn quotes a help-center article; indexed, every chat the bot answered about TxIDs
matched a search for "TxID" and buried the tickets where a customer or an agent wrote it.
The turns stay in every timeline; the help center is where their text is searched. It also
takes the longest text of a chat message off the write path.

SQLite: the FTS triggers skip rows written by the bot (author_kind never changes, so the
update and delete triggers skip them too: a contentless FTS5 table must only be told to
delete what it holds), and the bot rows' terms are deleted. PostgreSQL: the stale-marking
trigger skips them and their rows in `message_terms` go.

Revision ID: search_0004
Revises: search_0003
"""

from collections.abc import Sequence

from alembic import op

from kefu.store.search_terms import fill_stale_terms

revision: str = "search_0004"
down_revision: str | None = "search_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    "CREATE TRIGGER message_terms_insert AFTER INSERT ON messages {when_new} BEGIN "
    "INSERT INTO message_terms(rowid, terms) VALUES (new.id, kefu_terms(new.body_text)); END",
    "CREATE TRIGGER message_terms_update AFTER UPDATE OF body_text ON messages {when_old} BEGIN "
    "INSERT INTO message_terms(message_terms, rowid, terms) "
    "VALUES ('delete', old.id, kefu_terms(old.body_text)); "
    "INSERT INTO message_terms(rowid, terms) VALUES (new.id, kefu_terms(new.body_text)); END",
    "CREATE TRIGGER message_terms_delete AFTER DELETE ON messages {when_old} BEGIN "
    "INSERT INTO message_terms(message_terms, rowid, terms) "
    "VALUES ('delete', old.id, kefu_terms(old.body_text)); END",
)
SQLITE_DROP = tuple(f"DROP TRIGGER message_terms_{name}" for name in ("insert", "update", "delete"))
POSTGRES_TRIGGER = (
    "CREATE TRIGGER message_terms_stale AFTER INSERT OR UPDATE OF body_text ON messages "
    "FOR EACH ROW {when_new} EXECUTE FUNCTION message_terms_stale()"
)


def upgrade() -> None:
    skip_new, skip_old = "WHEN new.author_kind <> 'bot'", "WHEN old.author_kind <> 'bot'"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "INSERT INTO message_terms(message_terms, rowid, terms) "
            "SELECT 'delete', id, kefu_terms(body_text) FROM messages WHERE author_kind = 'bot'"
        )
        _sqlite_triggers(skip_new, skip_old)
        return
    op.execute("DROP TRIGGER message_terms_stale ON messages")
    op.execute(POSTGRES_TRIGGER.format(when_new="WHEN (NEW.author_kind <> 'bot')"))
    op.execute(
        "DELETE FROM message_terms USING messages "
        "WHERE messages.id = message_terms.id AND messages.author_kind = 'bot'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers("", "")
        op.execute(
            "INSERT INTO message_terms(rowid, terms) "
            "SELECT id, kefu_terms(body_text) FROM messages WHERE author_kind = 'bot'"
        )
        return
    op.execute("DROP TRIGGER message_terms_stale ON messages")
    op.execute(POSTGRES_TRIGGER.format(when_new=""))
    op.execute("INSERT INTO message_terms (id) SELECT id FROM messages WHERE author_kind = 'bot'")
    fill_stale_terms(op.get_bind())


def _sqlite_triggers(when_new: str, when_old: str) -> None:
    for statement in SQLITE_DROP:
        op.execute(statement)
    for statement in SQLITE_TRIGGERS:
        op.execute(statement.format(when_new=when_new, when_old=when_old))
