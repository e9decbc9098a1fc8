"""An account's life: sign-up, profile, password change, recovery, deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import AuthenticationError, Conflict, ValidationError
from steadymind.core.places import check_timezone, normalise_country
from steadymind.crypto import vault
from steadymind.crypto.principal import AI_LEVELS, Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.accounts.credentials import Credentials, normalise_username
from steadymind.features.accounts.passwords import check_policy
from steadymind.features.accounts.tables import User

NO_MATCH = "that username and recovery key do not match"
# Erases everything a person has, every feature's rows (the runtime's personal-data registry).
Erase = Callable[[Session, str], None]


@dataclass(frozen=True)
class SignUpResult:
    user_id: str
    recovery_key: str


class Accounts:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Clock,
        credentials: Credentials,
        erase: Erase,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.credentials = credentials
        self.hashing = credentials.hashing
        self._erase = erase

    def sign_up(
        self, username: str, password: str, *, country: str | None = None, timezone: str = "UTC"
    ) -> SignUpResult:
        name = normalise_username(username)
        password = check_policy(password)
        user_id, data_key = new_id(), vault.new_data_key()
        recovery_key = vault.new_recovery_key()
        user = User(
            id=user_id,
            username=name,
            dek_by_recovery=_wrap_recovery(recovery_key, data_key, user_id),
            country=normalise_country(country),
            timezone=check_timezone(timezone),
            created_at=self.clock.now(),
        )
        self._set_password(user, data_key, password)
        with self.db.transaction() as tx:
            if tx.scalar(select(User.id).where(User.username == name)) is not None:
                raise Conflict("that username is taken")
            tx.add(user)
        return SignUpResult(user_id=user_id, recovery_key=recovery_key)

    def get_user(self, principal: Principal) -> User:
        with self.db.transaction() as tx:
            return tx.get_one(User, principal.user_id)

    def update_profile(
        self,
        principal: Principal,
        *,
        country: str | None = None,
        timezone: str | None = None,
        ai_level: str | None = None,
    ) -> User:
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            if country is not None:
                user.country = normalise_country(country)
            if timezone is not None:
                user.timezone = check_timezone(timezone)
            if ai_level is not None:
                if ai_level not in AI_LEVELS:
                    raise ValidationError("The AI setting is off, suggestions or companion.")
                user.ai_level = ai_level
            return user

    def _set_password(self, user: User, data_key: bytes, password: str) -> None:
        params = vault.KdfParams.fresh(
            self.settings.argon2_time_cost, self.settings.argon2_memory_kib
        )
        user.password_hash = self.hashing.hash(password)
        user.kdf = params.to_dict()
        user.dek_by_password = vault.wrap_key(
            vault.password_kek(password, params), data_key, purpose="password", bound_to=user.id
        )

    def change_password(self, principal: Principal, current: str, new: str) -> None:
        """Re-wraps the data key only: no journal entry is re-encrypted."""
        new = check_policy(new)
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            if not self.hashing.verify(user.password_hash, current):
                raise AuthenticationError("the current password is not right")
            self._set_password(user, principal.data_key, new)
            self.credentials.revoke_all_except(tx, user.id, keep=principal.credential_id)

    def recover(self, username: str, recovery_key: str, new_password: str) -> str:
        """Set a new password with the recovery key; returns a fresh recovery key."""
        new_password = check_policy(new_password)
        raw = vault.recovery_key_bytes(recovery_key)
        with self.db.transaction() as tx:
            user = _user_named(tx, username)
            try:
                data_key = vault.unwrap_key(
                    vault.secret_kek(raw, "recovery"),
                    user.dek_by_recovery,
                    purpose="recovery",
                    bound_to=user.id,
                )
            except Exception:
                raise AuthenticationError(NO_MATCH) from None
            self._set_password(user, data_key, new_password)
            fresh = vault.new_recovery_key()
            user.dek_by_recovery = _wrap_recovery(fresh, data_key, user.id)
            self.credentials.revoke_all_except(tx, user.id, keep=None)
        return fresh

    def delete_account(self, principal: Principal, password: str) -> None:
        """Deletes the person and everything every feature keeps about them, in one
        transaction (the foreign keys' cascade is only the second line of defence)."""
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            if not self.hashing.verify(user.password_hash, password):
                raise AuthenticationError("the password is not right")
            self._erase(tx, user.id)


def _user_named(tx: Session, username: str) -> User:
    try:
        name = normalise_username(username)
    except ValidationError:
        raise AuthenticationError(NO_MATCH) from None
    user = tx.scalar(select(User).where(User.username == name))
    if user is None:
        raise AuthenticationError(NO_MATCH)
    return user


def _wrap_recovery(recovery_key: str, data_key: bytes, user_id: str) -> bytes:
    kek = vault.secret_kek(vault.recovery_key_bytes(recovery_key), "recovery")
    return vault.wrap_key(kek, data_key, purpose="recovery", bound_to=user_id)
