"""wearables: an import continues after a crash (parts read so far, the file's sha256)

Revision ID: 0008_wearable_resume
Revises: 0007_wearables
Create Date: 2026-11-30 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_wearable_resume"
down_revision = "0007_wearables"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("wearable_imports") as batch:
        batch.add_column(sa.Column("file_sha256", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("resumed_from", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.create_index(
            batch.f("ix_wearable_imports_file_sha256"), ["file_sha256"], unique=False
        )
    op.create_table(
        "wearable_import_parts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("samples_ct", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["wearable_imports.id"],
            name=op.f("fk_wearable_import_parts_run_id_wearable_imports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_wearable_import_parts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wearable_import_parts")),
        sa.UniqueConstraint("run_id", "seq", name=op.f("uq_wearable_import_parts_run_id")),
    )
    with op.batch_alter_table("wearable_import_parts") as batch:
        batch.create_index(batch.f("ix_wearable_import_parts_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_table("wearable_import_parts")
    with op.batch_alter_table("wearable_imports") as batch:
        batch.drop_index(batch.f("ix_wearable_imports_file_sha256"))
        batch.drop_column("resumed_from")
        batch.drop_column("file_sha256")
