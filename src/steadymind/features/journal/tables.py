"""The journal table: title, body and the analysis of them are stored only as ciphertext."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

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
