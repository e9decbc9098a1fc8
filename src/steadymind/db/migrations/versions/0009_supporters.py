"""insights: the supporter a person names; coach: the notices sent to a supporter

Revision ID: 0009_supporters
Revises: 0008_wearable_resume
Create Date: 2026-11-30 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_supporters"
down_revision = "0008_wearable_resume"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "insight_supporters",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name_ct", sa.LargeBinary(), nullable=False),
        sa.Column("signed_as_ct", sa.LargeBinary(), nullable=False),
        sa.Column("email_ct", sa.LargeBinary(), nullable=False),
        sa.Column("ntfy_ct", sa.LargeBinary(), nullable=True),
        sa.Column("webhook_ct", sa.LargeBinary(), nullable=True),
        sa.Column("analysis_ct", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_insight_supporters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insight_supporters")),
    )
    with op.batch_alter_table("insight_supporters", schema=None) as batch_op:
        batch_op.create_index("ix_insight_supporters_user", ["user_id"], unique=True)
    op.create_table(
        "coach_notices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_coach_notices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_notices")),
        sa.UniqueConstraint("key", name=op.f("uq_coach_notices_key")),
    )
    with op.batch_alter_table("coach_notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_notices_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("coach_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_notices_user_id"))
    op.drop_table("coach_notices")
    with op.batch_alter_table("insight_supporters", schema=None) as batch_op:
        batch_op.drop_index("ix_insight_supporters_user")
    op.drop_table("insight_supporters")
