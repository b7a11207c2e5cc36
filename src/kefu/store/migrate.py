"""Run Alembic migrations programmatically (`kefu migrate`, `make demo`, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from kefu.store.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def migrate(db: Database) -> None:
    """Bring the schema to the newest revision of every branch."""
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        # "heads": areas add migrations on their own branches from 0001; all are applied.
        command.upgrade(config, "heads")


# Search structures the models do not describe (created by search_0001 and search_0002).
UNMODELLED = (
    "message_terms",
    "subject_terms",
    "ix_messages_terms",
    "ix_tickets_subject_terms",
    "kb_search_",
    "ix_kb_search_",
)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For autogenerate and schema comparison: leave the unmodelled search structures alone."""
    return not (name or "").startswith(UNMODELLED)
