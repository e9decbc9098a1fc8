"""journal search index: blind tokens of each entry's words

Existing entries have no tokens yet. They cannot be indexed here: the words are encrypted under
each person's data key, which a migration never holds. Each person's entries are indexed the
first time they search or filter by tag (``features/journal/index.py``, ``catch_up``).

Revision ID: 0002_journal_terms
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_journal_terms"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journal_terms",
        sa.Column("token", sa.LargeBinary(length=8), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_terms_entry_id_journal_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "entry_id", name=op.f("pk_journal_terms")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("journal_terms", schema=None) as batch_op:
        batch_op.create_index("ix_journal_terms_entry_id", ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("journal_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_journal_terms_entry_id")
    op.drop_table("journal_terms")
