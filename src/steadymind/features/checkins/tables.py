"""The check-in table.

The note and the analysis of it are stored only as ciphertext (``*_ct``). Numbers, emotion words
and tags stay in plaintext so charts and later insight jobs can aggregate them without a key;
docs/security.md lists this trade-off.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        Index("ix_checkins_user_at", "user_id", "at"),
        # An imported row's keyed digest: the same file imported twice adds nothing.
        Index("ix_checkins_user_import", "user_id", "import_key", unique=True),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    tz: Mapped[str] = mapped_column(String(64))
    mood: Mapped[int] = mapped_column(SmallInteger)
    energy: Mapped[int] = mapped_column(SmallInteger)
    intensity: Mapped[int | None] = mapped_column(SmallInteger)
    emotions: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    note_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Set only on a check-in brought from another app: a keyed hash (HMAC under a key derived
    # from the person's data key) of the source row, which says nothing of what the row held.
    import_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
