"""Workflow: business calendars, SLA policies and clocks, assignment; SLA columns on tickets.

Revision ID: work_0001
Revises: 0001
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "work_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TICKET_DUE_COLUMNS = ("first_reply_due_at", "next_reply_due_at", "resolution_due_at")


def upgrade() -> None:
    op.create_table(
        "business_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("weekly_hours", sa.JSON(), nullable=False),
        sa.Column("holiday_regions", sa.JSON(), nullable=False),
        sa.Column("extra_holidays", sa.JSON(), nullable=False),
        sa.Column("extra_workdays", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendars")),
        sa.UniqueConstraint("slug", name=op.f("uq_business_calendars_slug")),
    )
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("first_reply_minutes", sa.Integer(), nullable=True),
        sa.Column("next_reply_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("warn_percent", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_sla_policies_calendar_id_business_calendars"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
        sa.UniqueConstraint("slug", name=op.f("uq_sla_policies_slug")),
    )
    op.create_table(
        "sla_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=12), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("cycle_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target_seconds", sa.Integer(), nullable=False),
        sa.Column("elapsed_seconds", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("breached", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["sla_policies.id"], name=op.f("fk_sla_clocks_policy_id_sla_policies")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_sla_clocks_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_clocks")),
        sa.UniqueConstraint("ticket_id", "metric", name=op.f("uq_sla_clocks_ticket_id_metric")),
    )
    op.create_table(
        "team_assignment",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("away_reassign_minutes", sa.Integer(), nullable=True),
        sa.Column("last_agent_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["last_agent_id"], ["agents.id"], name=op.f("fk_team_assignment_last_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_assignment_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_team_assignment")),
    )
    op.create_table(
        "agent_availability",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("presence", sa.String(length=8), nullable=False),
        sa.Column("presence_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("max_chats", sa.Integer(), nullable=False),
        sa.Column("max_tickets", sa.Integer(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("last_assigned_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.id"], name=op.f("fk_agent_availability_agent_id_agents")
        ),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_agent_availability")),
    )
    # Plain ADD COLUMN (no batch rebuild): the columns are nullable and carry no FK,
    # so SQLite need not copy the tickets table.
    for name in TICKET_DUE_COLUMNS:
        op.add_column("tickets", sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        op.create_index(op.f(f"ix_tickets_{name}"), "tickets", [name], unique=False)
    op.add_column("tickets", sa.Column("sla_policy_id", sa.Integer(), nullable=True))
    op.add_column("tickets", sa.Column("sla_paused_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch_op:
        batch_op.drop_column("sla_paused_at")
        batch_op.drop_column("sla_policy_id")
        for name in TICKET_DUE_COLUMNS:
            batch_op.drop_index(batch_op.f(f"ix_tickets_{name}"))
            batch_op.drop_column(name)
    for table in (
        "agent_availability",
        "team_assignment",
        "sla_clocks",
        "sla_policies",
        "business_calendars",
    ):
        op.drop_table(table)
