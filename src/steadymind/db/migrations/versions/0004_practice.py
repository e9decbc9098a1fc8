"""guided practice: sessions with calm before and after, and each person's practice profile

Revision ID: 0004_practice
Revises: 0003_journal_search
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_practice"
down_revision = "0003_journal_search"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "practice_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=40), nullable=False),
        sa.Column("goal", sa.String(length=20), nullable=False),
        sa.Column("minutes", sa.SmallInteger(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("calm_before", sa.SmallInteger(), nullable=True),
        sa.Column("calm_after", sa.SmallInteger(), nullable=True),
        sa.Column("biofeedback", sa.JSON(), nullable=True),
        sa.Column("note_ct", sa.LargeBinary(), nullable=True),
        sa.Column("analysis_ct", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_practice_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_sessions")),
    )  # fmt: skip
    op.create_index(
        "ix_practice_sessions_user_started", "practice_sessions", ["user_id", "started_at"]
    )
    op.create_table(
        "practice_profiles",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("experience", sa.String(length=10), nullable=False),
        sa.Column("prefs", sa.JSON(), nullable=False),
        sa.Column("resonance_bpm", sa.Float(), nullable=True),
        sa.Column("scanned_at", UTC, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_practice_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_practice_profiles")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("practice_profiles")
    op.drop_index("ix_practice_sessions_user_started", table_name="practice_sessions")
    op.drop_table("practice_sessions")
