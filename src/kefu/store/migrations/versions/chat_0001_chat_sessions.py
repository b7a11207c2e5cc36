"""Live chat: chat sessions and pending image uploads.

Revision ID: chat_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "chat_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visitor_key", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_uploads")),
    )
    op.create_index(
        op.f("ix_chat_uploads_visitor_key"), "chat_uploads", ["visitor_key"], unique=False
    )
    op.create_table(
        "chat_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visitor_key", sa.String(length=40), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("customer_uid", sa.String(length=64), nullable=True),
        sa.Column("trust", sa.String(length=12), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("team_slug", sa.String(length=40), nullable=True),
        sa.Column("bot_failures", sa.Integer(), nullable=False),
        sa.Column("awaiting", sa.String(length=12), nullable=True),
        sa.Column("pending_text", sa.Text(), nullable=True),
        sa.Column("clarify_options", sa.JSON(), nullable=False),
        sa.Column("handoff_reason", sa.String(length=20), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customer_read_seq", sa.Integer(), nullable=False),
        sa.Column("agent_read_seq", sa.Integer(), nullable=False),
        sa.Column("transcript_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_chat_sessions_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_chat_sessions_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_sessions")),
        sa.UniqueConstraint("visitor_key", name=op.f("uq_chat_sessions_visitor_key")),
    )
    op.create_index(
        "ix_chat_sessions_state_queued", "chat_sessions", ["state", "queued_at"], unique=False
    )
    op.create_index(
        op.f("ix_chat_sessions_ticket_id"), "chat_sessions", ["ticket_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_chat_sessions_ticket_id"), table_name="chat_sessions")
    op.drop_index("ix_chat_sessions_state_queued", table_name="chat_sessions")
    op.drop_table("chat_sessions")
    op.drop_index(op.f("ix_chat_uploads_visitor_key"), table_name="chat_uploads")
    op.drop_table("chat_uploads")
