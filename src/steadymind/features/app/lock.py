"""The app lock for shared phones (issue 16): a PIN or the device's passkey before any personal
page, after the person's chosen idle time or on a new session.

What it guards is the screen of a phone someone else may pick up, not the data (that is the
password's and the data key's job): the session still holds its key, and the lock only decides
whether its pages are shown. So: a PIN is kept only as an Argon2id hash; wrong PINs are counted
*before* Argon2 runs (parallel guesses are counted too) and, past ``FREE_TRIES`` in a row, each
further try waits twice as long as the last (30 s, 1 min, 2 min ... at most 1 h); the account
password always unlocks (forgotten PIN), throttled by the accounts feature like a login. No PIN
is ever logged, nor put in an error message.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import Conflict, RateLimited, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.features.app.tables import AppLock, LockPasskey, LockSession
from steadymind.runtime import PasswordCheck

log = logging.getLogger(__name__)

IDLE_CHOICES = (1, 5, 15, 30, 60)
DEFAULT_IDLE = 5
FREE_TRIES = 3
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
# A session's "last seen" is written at most this often (a page's every asset is a request).
TOUCH_EVERY = timedelta(seconds=15)
PIN_FORMAT = re.compile(r"\d{4,12}")
WRONG_PIN = "That PIN is not right."
WRONG_PASSWORD = "That password is not right."  # noqa: S105 (a message, not a secret)


class WrongSecret(ValidationError):
    """A wrong PIN or password at the lock (a 422: the person stays on the lock screen)."""

    code = "wrong_secret"


@dataclass(frozen=True)
class LockStatus:
    on: bool
    has_pin: bool
    passkeys: int
    idle_minutes: int
    retry_at: datetime | None = None


def backoff(failures: int) -> timedelta:
    """How long to wait before the next try after ``failures`` wrong PINs in a row."""
    if failures < FREE_TRIES:
        return timedelta(0)
    wait: timedelta = FIRST_WAIT * 2 ** (failures - FREE_TRIES)
    return min(wait, LONGEST_WAIT)


def check_pin(pin: str, again: str) -> str:
    if not PIN_FORMAT.fullmatch(pin):
        raise ValidationError("A PIN is 4 to 12 digits.")
    if len(set(pin)) == 1:
        raise ValidationError("Choose a PIN that is not one digit repeated.")
    if pin != again:
        raise ValidationError("The two PINs differ.")
    return pin


class AppLockService:
    def __init__(
        self, db: Database, clock: Clock, settings: Settings, passwords: PasswordCheck | None
    ) -> None:
        self.db = db
        self.clock = clock
        self.passwords = passwords
        self.hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost=settings.argon2_memory_kib,
            parallelism=1,
        )

    # -- the gate (runtime.AppLockGate) ------------------------------------------------------

    def locked(self, principal: Principal) -> bool:
        """API tokens are never locked: a token is a credential the person gave a program, not
        a screen someone else may pick up."""
        if principal.via != "session":
            return False
        now = self.clock.now()
        with self.db.transaction() as tx:
            lock = tx.get(AppLock, principal.user_id)
            if lock is None:
                return False
            state = tx.get(LockSession, principal.credential_id)
            if state is None or not state.unlocked:
                return True
            if now - state.last_seen > timedelta(minutes=lock.idle_minutes):
                state.unlocked = False
                return True
            if now - state.last_seen >= TOUCH_EVERY:
                state.last_seen = now
            return False

    # -- settings ----------------------------------------------------------------------------

    def status(self, principal: Principal) -> LockStatus:
        with self.db.transaction() as tx:
            lock = tx.get(AppLock, principal.user_id)
            keys = tx.scalar(
                select(func.count())
                .select_from(LockPasskey)
                .where(LockPasskey.user_id == principal.user_id)
            )
        if lock is None:
            return LockStatus(False, False, int(keys or 0), DEFAULT_IDLE)
        return LockStatus(
            True, lock.pin_hash is not None, int(keys or 0), lock.idle_minutes, lock.retry_at
        )

    def set_pin(self, principal: Principal, pin: str, again: str, idle_minutes: int) -> None:
        """Turns the lock on (or changes the PIN); this session stays unlocked."""
        pin = check_pin(pin, again)
        idle = _idle(idle_minutes)
        hashed = self.hasher.hash(pin)  # before the transaction: no lock held while it runs
        with self.db.transaction() as tx:
            lock = self._lock_row(tx, principal, idle)
            lock.pin_hash, lock.failures, lock.retry_at = hashed, 0, None
        self._mark(principal, unlocked=True)

    def set_idle(self, principal: Principal, idle_minutes: int) -> None:
        idle = _idle(idle_minutes)
        with self.db.transaction() as tx:
            lock = tx.get(AppLock, principal.user_id)
            if lock is None:
                raise Conflict("Turn the lock on first, with a PIN or a passkey.")
            lock.idle_minutes, lock.updated_at = idle, self.clock.now()

    def turn_off(self, principal: Principal) -> None:
        with self.db.transaction() as tx:
            self.erase(tx, principal.user_id)

    def erase(self, tx: Session, user_id: str) -> None:
        for table in (LockSession, LockPasskey, AppLock):
            tx.execute(delete(table).where(table.user_id == user_id))

    def lock_now(self, principal: Principal) -> None:
        self._mark(principal, unlocked=False)

    # -- unlocking ---------------------------------------------------------------------------

    def unlock_with_pin(self, principal: Principal, pin: str) -> None:
        pin_hash = self._take_a_try(principal)
        try:
            self.hasher.verify(pin_hash, pin[:64])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            log.info("app lock: wrong PIN (user %s)", principal.user_id)
            raise WrongSecret(WRONG_PIN) from None
        self._unlocked(principal)

    def unlock_with_password(self, principal: Principal, password: str) -> None:
        """A forgotten PIN: the account password unlocks (and clears the PIN's back-off)."""
        if self.passwords is None:
            raise Conflict("Unlocking with the password is not available on this server.")
        self.passwords.confirm_password(principal, password, WRONG_PASSWORD)
        self._unlocked(principal)

    def _take_a_try(self, principal: Principal) -> str:
        """Counts the try before Argon2 runs; refuses it while the back-off lasts."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            lock = tx.get(AppLock, principal.user_id)
            if lock is None or lock.pin_hash is None:
                raise Conflict("There is no PIN to unlock with.")
            if lock.retry_at is not None and lock.retry_at > now:
                wait = int((lock.retry_at - now).total_seconds()) + 1
                raise RateLimited(
                    f"Too many wrong PINs. Try again in {_wait_words(wait)}, or use your password.",
                    retry_after=wait,
                )
            lock.failures += 1
            pause = backoff(lock.failures)
            lock.retry_at = now + pause if pause else None
            return lock.pin_hash

    def unlock_verified(self, principal: Principal) -> None:
        """Unlocks after a check done elsewhere (the passkey's signature)."""
        self._unlocked(principal)

    def _unlocked(self, principal: Principal) -> None:
        with self.db.transaction() as tx:
            lock = tx.get(AppLock, principal.user_id)
            if lock is not None:
                lock.failures, lock.retry_at = 0, None
        self._mark(principal, unlocked=True)

    def _mark(self, principal: Principal, *, unlocked: bool) -> None:
        if principal.via != "session":
            return
        now = self.clock.now()
        with self.db.transaction() as tx:
            state = tx.get(LockSession, principal.credential_id)
            if state is None:
                state = LockSession(
                    session_id=principal.credential_id, user_id=principal.user_id, last_seen=now
                )
                tx.add(state)
            state.unlocked, state.last_seen = unlocked, now

    def _lock_row(self, tx: Session, principal: Principal, idle: int) -> AppLock:
        lock = tx.get(AppLock, principal.user_id)
        now = self.clock.now()
        if lock is None:
            lock = AppLock(user_id=principal.user_id, failures=0, idle_minutes=idle, updated_at=now)
            tx.add(lock)
        lock.idle_minutes, lock.updated_at = idle, now
        return lock


def _idle(minutes: int) -> int:
    if minutes not in IDLE_CHOICES:
        raise ValidationError("Choose how long the app waits: 1, 5, 15, 30 or 60 minutes.")
    return minutes


def _wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
