"""journal search index: blind tokens of each entry's words

One row per entry in ``journal_search``, its tokens indexed by the engine's own inverted index:
an FTS5 table kept in step by triggers on SQLite, a GIN index on PostgreSQL.

Existing entries get no tokens here: their words are encrypted under each person's data key,
which a migration never holds. Each person's entries are indexed the first time they search or
filter by tag (``features/journal/index.py``, ``catch_up``).

Revision ID: 0003_journal_search
Revises: 0002c
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_journal_search"
down_revision = "0002c"
branch_labels = None
depends_on = None

# FTS5 "external content": the words live in journal_search.tokens, the FTS table holds only the
# index (detail=none: no positions, the smallest index). A delete needs the old words, which the
# trigger has; a cascade from journal_entries fires it too.
SQLITE = [
    "CREATE VIRTUAL TABLE journal_search_fts USING fts5(tokens, content='journal_search', "
    "content_rowid='doc', detail=none, tokenize='ascii')",
    "CREATE TRIGGER journal_search_ai AFTER INSERT ON journal_search BEGIN "
    "INSERT INTO journal_search_fts(rowid, tokens) VALUES (new.doc, new.tokens); END",
    "CREATE TRIGGER journal_search_ad AFTER DELETE ON journal_search BEGIN "
    "INSERT INTO journal_search_fts(journal_search_fts, rowid, tokens) "
    "VALUES ('delete', old.doc, old.tokens); END",
    "CREATE TRIGGER journal_search_au AFTER UPDATE ON journal_search BEGIN "
    "INSERT INTO journal_search_fts(journal_search_fts, rowid, tokens) "
    "VALUES ('delete', old.doc, old.tokens); "
    "INSERT INTO journal_search_fts(rowid, tokens) VALUES (new.doc, new.tokens); END",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    tokens = postgresql.ARRAY(sa.BigInteger()) if postgres else sa.Text()
    op.create_table(
        "journal_search",
        sa.Column("doc", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("tokens", tokens, nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_search_entry_id_journal_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("doc", name=op.f("pk_journal_search")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_journal_search_entry_id")),
    )
    if postgres:
        op.create_index(
            "ix_journal_search_tokens", "journal_search", ["tokens"], postgresql_using="gin"
        )
    else:
        for statement in SQLITE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_journal_search_tokens", table_name="journal_search")
    else:
        for trigger in ("journal_search_ai", "journal_search_ad", "journal_search_au"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE journal_search_fts")
    op.drop_table("journal_search")
