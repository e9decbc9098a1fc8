"""app lock: the PIN's hash and idle time, passkeys (public keys), each session's lock state

Revision ID: 0010_app_lock
Revises: 0009_supporters
Create Date: 2026-11-30 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_app_lock"
down_revision = "0009_supporters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_locks",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=True),
        sa.Column("idle_minutes", sa.SmallInteger(), nullable=False),
        sa.Column("failures", sa.SmallInteger(), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_app_locks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_app_locks")),
    )
    op.create_table(
        "app_lock_passkeys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_app_lock_passkeys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_lock_passkeys")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_app_lock_passkeys_credential_id")),
    )
    op.create_index(
        op.f("ix_app_lock_passkeys_user_id"), "app_lock_passkeys", ["user_id"], unique=False
    )
    op.create_table(
        "app_lock_sessions",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("unlocked", sa.Boolean(), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("challenge", sa.LargeBinary(), nullable=True),
        sa.Column("challenge_kind", sa.String(length=12), nullable=True),
        sa.Column("challenge_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auth_sessions.id"],
            name=op.f("fk_app_lock_sessions_session_id_auth_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_app_lock_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_app_lock_sessions")),
    )
    op.create_index(
        op.f("ix_app_lock_sessions_user_id"), "app_lock_sessions", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_app_lock_sessions_user_id"), table_name="app_lock_sessions")
    op.drop_table("app_lock_sessions")
    op.drop_index(op.f("ix_app_lock_passkeys_user_id"), table_name="app_lock_passkeys")
    op.drop_table("app_lock_passkeys")
    op.drop_table("app_locks")
