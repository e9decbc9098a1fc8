"""The companion's tables. Everything a person or the companion said, the engine's state (their
answers inside flows) and what they asked to be remembered is stored only as ciphertext; the
plain columns are ids, times and counters (docs/security.md lists them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


class CompanionSession(Base):
    __tablename__ = "companion_sessions"
    __table_args__ = (Index("ix_companion_sessions_user_updated", "user_id", "updated_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state_ct: Mapped[bytes] = mapped_column(LargeBinary)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CompanionTurn(Base):
    __tablename__ = "companion_turns"
    __table_args__ = (Index("ix_companion_turns_session_seq", "session_id", "seq"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    session_id: Mapped[str] = mapped_column(ForeignKey("companion_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    # "person" or "companion": who spoke is not sensitive, what they said is.
    role: Mapped[str] = mapped_column(String(16))
    text_ct: Mapped[bytes] = mapped_column(LargeBinary)
    # A person's turn: the seam's verdict (and their answer to the question); the companion's:
    # which engine wrote it, the copy version, the flow and step.
    analysis_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CompanionMemory(Base):
    __tablename__ = "companion_memory"
    __table_args__ = (Index("ix_companion_memory_user", "user_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text_ct: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CompanionFollowUp(Base):
    """A flow the companion promised to come back to (how the planned activity went), due from
    ``due_at``; which flow and what it carries are ciphertext."""

    __tablename__ = "companion_follow_ups"
    __table_args__ = (Index("ix_companion_follow_ups_user_due", "user_id", "due_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    data_ct: Mapped[bytes] = mapped_column(LargeBinary)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class CompanionConsent(Base):
    """The person's consent to the companion: which version of the words they accepted, when,
    and when they took it back. One row per acceptance, so the history stays."""

    __tablename__ = "companion_consent"
    __table_args__ = (Index("ix_companion_consent_user", "user_id", "accepted_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(32))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CompanionPrefs(Base):
    """What the person chose for the companion beyond the AI setting: whether the server's
    language model (when one is configured) may write their free-talk replies. Off by default."""

    __tablename__ = "companion_prefs"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    llm_replies: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
