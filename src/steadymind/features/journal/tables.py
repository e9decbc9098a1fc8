"""The journal tables: title, body and the analysis of them are stored only as ciphertext; the
search index holds blind tokens of their words, never the words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeEngine

from steadymind.crypto.blind import TOKEN_BYTES
from steadymind.db.base import Base, UTCDateTime, new_id


class JournalEntry(Base):
    __tablename__ = "journal_entries"
    __table_args__ = (Index("ix_journal_entries_user_at", "user_id", "at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    tz: Mapped[str] = mapped_column(String(64))
    title_ct: Mapped[bytes] = mapped_column(LargeBinary)
    body_ct: Mapped[bytes] = mapped_column(LargeBinary)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TokenSet(TypeDecorator[frozenset[bytes]]):
    """A set of blind tokens (``crypto.blind``), stored for the database's own inverted index.

    PostgreSQL: ``bigint[]`` under a GIN index (``tokens @> ARRAY[...]``). SQLite: the tokens as
    words (hex) in a text column that an FTS5 table indexes, kept in step by triggers. An
    inverted index is what a search needs, and both engines keep a compact one with cheap
    writes. A plain table with a row per (token, entry) was tried first: five times the bytes
    per token, and every token a random B-tree write, so writing an entry was five times slower.
    """

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(BigInteger()))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return sorted(token_number(t) for t in value)
        return " ".join(sorted(token_word(t) for t in value))

    def process_result_value(self, value: Any, dialect: Dialect) -> frozenset[bytes] | None:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return frozenset(n.to_bytes(TOKEN_BYTES, "big", signed=True) for n in value)
        return frozenset(bytes.fromhex(w) for w in str(value).split())


def token_number(token: bytes) -> int:
    return int.from_bytes(token, "big", signed=True)


def token_word(token: bytes) -> str:
    """A token as one FTS5 word: hex, which FTS5 neither splits nor folds into another token
    (base64 has separators and case; base32 is pure Python and was most of the indexing time)."""
    return token.hex()


class JournalSearch(Base):
    """One row per indexed entry: its blind tokens. No user id: tokens are keyed per person, and
    every search joins back to the owner's entries. ``doc`` is the FTS5 row id on SQLite."""

    __tablename__ = "journal_search"

    doc: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("journal_entries.id", ondelete="CASCADE"), unique=True
    )
    tokens: Mapped[frozenset[bytes]] = mapped_column(TokenSet())


# Made by the migration, for one engine each, and not described by the models above: the FTS5
# table and its shadow tables (SQLite), the GIN index (PostgreSQL). Schema comparisons skip them.
SEARCH_FTS = "journal_search_fts"
Base.metadata.info.setdefault("unmodelled", set()).update(
    {
        SEARCH_FTS,
        *(f"{SEARCH_FTS}_{shadow}" for shadow in ("data", "idx", "docsize", "config")),
        "ix_journal_search_tokens",
    }
)
