"""Practice tables: the sessions a person did (with their calm before and after) and their
practice profile (preferences, experience, their own resonance breathing rate).

The note a person may write after a session is stored only as ciphertext (``note_ct``, with the
seam's verdict in ``analysis_ct``). The numbers, the practice, the composed parameters and the
heart-rate summary stay plaintext so "what helped you" and the insights can be read without a
key; docs/security.md lists them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


class PracticeSession(Base):
    __tablename__ = "practice_sessions"
    __table_args__ = (Index("ix_practice_sessions_user_started", "user_id", "started_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    practice_id: Mapped[str] = mapped_column(String(40))
    goal: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[int] = mapped_column(SmallInteger)
    # The composer's request (goal, length, check-in numbers, experience, preferences): the
    # script is composed again from it, word for word.
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    tz: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    calm_before: Mapped[int | None] = mapped_column(SmallInteger)
    calm_after: Mapped[int | None] = mapped_column(SmallInteger)
    # Heart rate and RMSSD over time when a strap was connected (numbers only).
    biofeedback: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PracticeProfile(Base):
    __tablename__ = "practice_profiles"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    experience: Mapped[str] = mapped_column(String(10))
    prefs: Mapped[dict[str, Any]] = mapped_column(JSON)
    resonance_bpm: Mapped[float | None] = mapped_column(Float)
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
