"""wearables: samples (encrypted per day and metric), daily numbers, imports, the choice

Revision ID: 0007_wearables
Revises: 0006_coach
Create Date: 2026-11-30 15:37:25.006105
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_wearables"
down_revision = "0006_coach"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wearable_days",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("factor", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wearable_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", "factor", name=op.f("pk_wearable_days")),
    )
    op.create_table(
        "wearable_imports",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("importer", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("bytes_total", sa.BigInteger(), nullable=False),
        sa.Column("bytes_done", sa.BigInteger(), nullable=False),
        sa.Column("samples_read", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("report_ct", sa.LargeBinary(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wearable_imports_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wearable_imports")),
    )
    with op.batch_alter_table("wearable_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wearable_imports_user_id"), ["user_id"], unique=False)

    op.create_table(
        "wearable_prefs",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("keep_samples", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wearable_prefs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_wearable_prefs")),
    )
    op.create_table(
        "wearable_samples",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("metric", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("samples_ct", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wearable_samples_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wearable_samples")),
        sa.UniqueConstraint("user_id", "day", "metric", name=op.f("uq_wearable_samples_user_id")),
    )


def downgrade() -> None:
    op.drop_table("wearable_samples")
    op.drop_table("wearable_prefs")
    with op.batch_alter_table("wearable_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wearable_imports_user_id"))

    op.drop_table("wearable_imports")
    op.drop_table("wearable_days")
