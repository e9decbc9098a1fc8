"""coach: goals and steps, habits and the days done, reminders, channels, deliveries, and the
recommender's log

Revision ID: 0006_coach
Revises: 0005_insights
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

UTC = sa.DateTime(timezone=True)

revision = "0006_coach"
down_revision = "0005_insights"
branch_labels = None
depends_on = None

# Dropped children first.
TABLES = (
    "coach_not_for_me",
    "coach_prefs",
    "coach_suggestions",
    "coach_deliveries",
    "coach_reminders",
    "coach_marks",
    "coach_channels",
    "coach_habits",
    "coach_steps",
    "coach_goals",
)


def upgrade() -> None:
    op.create_table(
        "coach_channels",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("tested_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_channels_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_channels")),
    )
    op.create_index(op.f("ix_coach_channels_user_id"), "coach_channels", ["user_id"], unique=False)
    op.create_table(
        "coach_goals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("title_ct", sa.LargeBinary(), nullable=False),
        sa.Column("analysis_ct", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("done_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_coach_goals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_goals")),
    )
    op.create_index(op.f("ix_coach_goals_user_id"), "coach_goals", ["user_id"], unique=False)
    op.create_table(
        "coach_not_for_me",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("arm", sa.String(length=80), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_not_for_me_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "arm", name=op.f("pk_coach_not_for_me")),
    )
    op.create_table(
        "coach_prefs",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("quiet_start", sa.String(length=5), nullable=True),
        sa.Column("quiet_end", sa.String(length=5), nullable=True),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_coach_prefs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_coach_prefs")),
    )
    op.create_table(
        "coach_suggestions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("arm", sa.String(length=80), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("propensity", sa.Float(), nullable=False),
        sa.Column("policy", sa.String(length=40), nullable=False),
        sa.Column("shown_at", UTC, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("reward", sa.Float(), nullable=True),
        sa.Column("rewarded_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_suggestions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_suggestions")),
    )
    op.create_index(
        op.f("ix_coach_suggestions_user_id"), "coach_suggestions", ["user_id"], unique=False
    )
    op.create_table(
        "coach_deliveries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("about", sa.String(length=16), nullable=False),
        sa.Column("count", sa.SmallInteger(), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("send_at", UTC, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("queued_at", UTC, nullable=True),
        sa.Column("claimed_at", UTC, nullable=True),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("seen_at", UTC, nullable=True),
        sa.Column("error", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["coach_channels.id"],
            name=op.f("fk_coach_deliveries_channel_id_coach_channels"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_deliveries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_deliveries")),
        sa.UniqueConstraint("key", name=op.f("uq_coach_deliveries_key")),
    )
    op.create_index(
        "ix_coach_deliveries_status_send", "coach_deliveries", ["status", "send_at"], unique=False
    )
    op.create_index(
        op.f("ix_coach_deliveries_user_id"), "coach_deliveries", ["user_id"], unique=False
    )
    op.create_table(
        "coach_habits",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name_ct", sa.LargeBinary(), nullable=False),
        sa.Column("analysis_ct", sa.LargeBinary(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("weekdays", sa.SmallInteger(), nullable=False),
        sa.Column("every_n", sa.SmallInteger(), nullable=False),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("times", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=80), nullable=True),
        sa.Column("goal_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("archived_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["coach_goals.id"],
            name=op.f("fk_coach_habits_goal_id_coach_goals"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_habits_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_habits")),
    )
    op.create_index(op.f("ix_coach_habits_user_id"), "coach_habits", ["user_id"], unique=False)
    op.create_table(
        "coach_steps",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("goal_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("text_ct", sa.LargeBinary(), nullable=False),
        sa.Column("analysis_ct", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("done_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["goal_id"],
            ["coach_goals.id"],
            name=op.f("fk_coach_steps_goal_id_coach_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_coach_steps_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_steps")),
    )
    op.create_index(op.f("ix_coach_steps_goal_id"), "coach_steps", ["goal_id"], unique=False)
    op.create_index(op.f("ix_coach_steps_user_id"), "coach_steps", ["user_id"], unique=False)
    op.create_table(
        "coach_marks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("habit_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["habit_id"],
            ["coach_habits.id"],
            name=op.f("fk_coach_marks_habit_id_coach_habits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_coach_marks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_marks")),
        sa.UniqueConstraint("habit_id", "day", name="uq_coach_marks_habit_day"),
    )
    op.create_index(op.f("ix_coach_marks_user_id"), "coach_marks", ["user_id"], unique=False)
    op.create_table(
        "coach_reminders",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("about", sa.String(length=16), nullable=False),
        sa.Column("habit_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("weekdays", sa.SmallInteger(), nullable=False),
        sa.Column("every_n", sa.SmallInteger(), nullable=False),
        sa.Column("start_day", sa.Date(), nullable=False),
        sa.Column("at_time", sa.String(length=5), nullable=False),
        sa.Column("channel_ids", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("next_due_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["habit_id"],
            ["coach_habits.id"],
            name=op.f("fk_coach_reminders_habit_id_coach_habits"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_reminders_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_reminders")),
    )
    op.create_index(
        "ix_coach_reminders_due", "coach_reminders", ["active", "next_due_at"], unique=False
    )
    op.create_index(
        op.f("ix_coach_reminders_user_id"), "coach_reminders", ["user_id"], unique=False
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
