"""The app lock's tables (issue 16): whether a person locks the app, how, and each browser
session's state.

Nothing here is a person's words, and none of it is encrypted: the PIN is kept only as an
Argon2id hash (never the PIN), a passkey only as its public key and id (the private key never
leaves the device), and a session's state as times and a flag. docs/security.md lists them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from steadymind.db.base import Base, UTCDateTime, new_id


class AppLock(Base):
    """One row per person who turned the lock on (no row: no lock)."""

    __tablename__ = "app_locks"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Argon2id, like passwords (argon2-cffi's encoded form: parameters, salt, hash).
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    idle_minutes: Mapped[int] = mapped_column(SmallInteger)
    # Wrong PINs in a row, and when the next attempt is allowed (back-off).
    failures: Mapped[int] = mapped_column(SmallInteger, default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LockPasskey(Base):
    """A device's passkey (WebAuthn) that unlocks the app: its id and public key only."""

    __tablename__ = "app_lock_passkeys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)  # base64url
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # COSE
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LockSession(Base):
    """A browser session's lock state: unlocked, and last seen (idle time), and the WebAuthn
    challenge of a ceremony under way (kept here, server-side, never trusted from the browser).
    No row for a session: it is new, so locked."""

    __tablename__ = "app_lock_sessions"

    session_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("auth_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    unlocked: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    challenge: Mapped[bytes | None] = mapped_column(LargeBinary)
    challenge_kind: Mapped[str | None] = mapped_column(String(12))  # "register" | "unlock"
    challenge_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
