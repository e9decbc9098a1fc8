"""insights: imported check-ins' keys, custom mood names, questionnaires, warning rules

``checkins.import_key`` is a keyed hash of an imported row (unique per person), so the same
export imported twice adds nothing; existing check-ins have none.

Revision ID: 0005_insights
Revises: 0004_practice
Create Date: 2026-11-30 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_insights"
down_revision = "0004_practice"
branch_labels = None
depends_on = None
UTC = sa.DateTime(timezone=True)


def _owner() -> tuple[sa.Column[str], sa.Column[str]]:
    return (
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
    )


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.add_column("checkins", sa.Column("import_key", sa.String(length=32), nullable=True))
    op.create_index("ix_checkins_user_import", "checkins", ["user_id", "import_key"], unique=True)
    op.create_table(
        "insight_mood_names",
        *_owner(),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        _fk("insight_mood_names"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_mood_names")),
    )
    op.create_index(
        "ix_insight_mood_names_user_name", "insight_mood_names", ["user_id", "name"], unique=True
    )
    op.create_table(
        "assessments",
        *_owner(),
        sa.Column("instrument", sa.String(length=16), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("total", sa.SmallInteger(), nullable=False),
        sa.Column("band", sa.String(length=32), nullable=False),
        sa.Column("answers_ct", sa.LargeBinary(), nullable=False),
        _fk("assessments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    op.create_index("ix_assessments_user_at", "assessments", ["user_id", "at"])
    op.create_table(
        "assessment_schedules",
        *_owner(),
        sa.Column("instrument", sa.String(length=16), nullable=False),
        sa.Column("every_days", sa.SmallInteger(), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        _fk("assessment_schedules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_schedules")),
    )
    op.create_index(
        "ix_assessment_schedules_user_instrument",
        "assessment_schedules",
        ["user_id", "instrument"],
        unique=True,
    )
    op.create_table(
        "warning_rules",
        *_owner(),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("days", sa.SmallInteger(), nullable=False),
        sa.Column("tell_supporter", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        _fk("warning_rules"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_rules")),
    )
    op.create_index("ix_warning_rules_user", "warning_rules", ["user_id"])


def downgrade() -> None:
    for table in ("warning_rules", "assessment_schedules", "assessments", "insight_mood_names"):
        op.drop_table(table)
    op.drop_index("ix_checkins_user_import", table_name="checkins")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("import_key")
