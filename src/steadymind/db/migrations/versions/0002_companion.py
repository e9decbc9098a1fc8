"""the companion: sessions, turns, memory, follow-ups, consent; the person's AI setting

Revision ID: 0002c
Revises: 0001
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002c"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(length=32), nullable=False)


def _user() -> sa.Column[str]:
    return sa.Column("user_id", sa.String(length=32), nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "ai_level", sa.String(length=16), nullable=False, server_default="suggestions"
            )
        )
    op.create_table(
        "companion_sessions",
        _id(),
        _user(),
        sa.Column("state_ct", sa.LargeBinary(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_companion_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companion_sessions")),
    )  # fmt: skip
    op.create_index(
        "ix_companion_sessions_user_updated", "companion_sessions", ["user_id", "updated_at"]
    )
    op.create_table(
        "companion_turns",
        _id(),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        _user(),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("text_ct", sa.LargeBinary(), nullable=False),
        sa.Column("analysis_ct", sa.LargeBinary(), nullable=True),
        sa.Column("at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["companion_sessions.id"],
            name=op.f("fk_companion_turns_session_id_companion_sessions"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_companion_turns_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companion_turns")),
    )  # fmt: skip
    op.create_index("ix_companion_turns_session_seq", "companion_turns", ["session_id", "seq"])
    op.create_table(
        "companion_memory",
        _id(),
        _user(),
        sa.Column("text_ct", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_companion_memory_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companion_memory")),
    )  # fmt: skip
    op.create_index("ix_companion_memory_user", "companion_memory", ["user_id"])
    op.create_table(
        "companion_follow_ups",
        _id(),
        _user(),
        sa.Column("data_ct", sa.LargeBinary(), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("done_at", UTC, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_companion_follow_ups_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companion_follow_ups")),
    )  # fmt: skip
    op.create_index(
        "ix_companion_follow_ups_user_due", "companion_follow_ups", ["user_id", "due_at"]
    )
    op.create_table(
        "companion_consent",
        _id(),
        _user(),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("accepted_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_companion_consent_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companion_consent")),
    )  # fmt: skip
    op.create_index("ix_companion_consent_user", "companion_consent", ["user_id", "accepted_at"])
    op.create_table(
        "companion_prefs",
        _user(),
        sa.Column("llm_replies", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_companion_prefs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_companion_prefs")),
    )  # fmt: skip


def downgrade() -> None:
    for table in (
        "companion_prefs",
        "companion_consent",
        "companion_follow_ups",
        "companion_memory",
        "companion_turns",
        "companion_sessions",
    ):
        op.drop_table(table)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("ai_level")
