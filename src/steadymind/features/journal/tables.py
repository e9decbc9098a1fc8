"""The journal tables: title, body and the analysis of them are stored only as ciphertext; the
search index holds blind tokens of their words, never the words."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

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


class JournalTerm(Base):
    """The search index: one blind token (``crypto.blind``) per term of an entry.

    No user id: tokens are keyed per person, and every search joins back to the owner's entries.
    Keyed by token first, so a search is an index lookup; the entry index serves edits and the
    cascade when an entry or an account is deleted. On SQLite the table is its own index
    (WITHOUT ROWID): the index is most of the journal's size, so every byte per row counts.
    """

    __tablename__ = "journal_terms"
    __table_args__ = (
        Index("ix_journal_terms_entry_id", "entry_id"),
        {"sqlite_with_rowid": False},
    )

    token: Mapped[bytes] = mapped_column(LargeBinary(TOKEN_BYTES), primary_key=True)
    entry_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("journal_entries.id", ondelete="CASCADE"), primary_key=True
    )
