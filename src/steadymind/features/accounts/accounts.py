"""An account's life: sign-up, profile, password change, recovery, deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import AuthenticationError, Conflict, ValidationError
from steadymind.core.places import normalise_country
from steadymind.crypto import vault
from steadymind.crypto.principal import AI_LEVELS, Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.accounts.credentials import Credentials, normalise_username
from steadymind.features.accounts.passwords import check_policy
from steadymind.features.accounts.tables import User
from steadymind.features.accounts.throttle import TERMINAL, Origin
from steadymind.features.accounts.zones import known_zone

NO_MATCH = "that username and recovery key do not match"
# Erases everything a person has, every feature's rows (the runtime's personal-data registry).
Erase = Callable[[Session, str], None]


@dataclass(frozen=True)
class SignUpResult:
    user_id: str
    recovery_key: str
    # Opens the first session without a second Argon2 run (Credentials.after_sign_up).
    data_key: bytes = field(repr=False)


@dataclass(frozen=True)
class _PasswordFields:
    """A new password's hash and the data key wrapped by it: two Argon2 runs, made before the
    transaction that stores them so that no database lock is held while they run."""

    password_hash: str
    kdf: dict[str, Any]
    dek_by_password: bytes

    def apply(self, user: User) -> None:
        user.password_hash = self.password_hash
        user.kdf = self.kdf
        user.dek_by_password = self.dek_by_password


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
        self,
        username: str,
        password: str,
        *,
        country: str | None = None,
        timezone: str = "UTC",
        client: str = TERMINAL,
    ) -> SignUpResult:
        """``client`` is the address the sign-up came from (the web and the API pass it; the
        default, the terminal, is not counted): ``signup_free_per_address``, then delays."""
        name = normalise_username(username)
        password = check_policy(password)
        country, timezone = normalise_country(country), known_zone(timezone)
        origin = Origin.terminal() if client == TERMINAL else Origin.address(client)
        # Counted before the username is looked up: probing for names is slowed down too.
        self.credentials.throttle.admit_signup(origin)
        self._refuse_taken(name)
        user_id, data_key = new_id(), vault.new_data_key()
        recovery_key = vault.new_recovery_key()
        fields = self._password_fields(user_id, data_key, password)
        user = User(
            id=user_id,
            username=name,
            dek_by_recovery=_wrap_recovery(recovery_key, data_key, user_id),
            country=country,
            timezone=timezone,
            created_at=self.clock.now(),
        )
        fields.apply(user)
        with self.db.transaction() as tx:
            self._refuse_taken(name, tx)
            tx.add(user)
        return SignUpResult(user_id=user_id, recovery_key=recovery_key, data_key=data_key)

    def _refuse_taken(self, name: str, tx: Session | None = None) -> None:
        if tx is None:
            with self.db.transaction() as tx:
                self._refuse_taken(name, tx)
            return
        if tx.scalar(select(User.id).where(User.username == name)) is not None:
            raise Conflict("that username is taken")

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
                user.timezone = known_zone(timezone)
            if ai_level is not None:
                if ai_level not in AI_LEVELS:
                    raise ValidationError("The AI setting is off, suggestions or companion.")
                user.ai_level = ai_level
            return user

    def _password_fields(self, user_id: str, data_key: bytes, password: str) -> _PasswordFields:
        params = vault.KdfParams.fresh(
            self.settings.argon2_time_cost, self.settings.argon2_memory_kib
        )
        return _PasswordFields(
            password_hash=self.hashing.hash(password),
            kdf=params.to_dict(),
            dek_by_password=vault.wrap_key(
                self.hashing.kek(password, params), data_key, purpose="password", bound_to=user_id
            ),
        )

    def change_password(self, principal: Principal, current: str, new: str) -> None:
        """Re-wraps the data key only: no journal entry is re-encrypted."""
        new = check_policy(new)
        self.credentials.confirm_password(principal, current, "the current password is not right")
        fields = self._password_fields(principal.user_id, principal.data_key, new)
        with self.db.transaction() as tx:
            fields.apply(tx.get_one(User, principal.user_id))
            self.credentials.revoke_all_except(tx, principal.user_id, keep=principal.credential_id)

    def new_recovery_key(self, principal: Principal, password: str) -> str:
        """A fresh recovery key, shown once; the old one stops working. The password is asked
        again: whoever holds a recovery key can set the password, so a stolen session must not
        be enough to make one."""
        self.credentials.confirm_password(principal, password, "The password is not right.")
        fresh = vault.new_recovery_key()
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            user.dek_by_recovery = _wrap_recovery(fresh, principal.data_key, user.id)
        return fresh

    def recover(self, username: str, recovery_key: str, new_password: str) -> str:
        """Set a new password with the recovery key; returns a fresh recovery key.

        Not throttled: a recovery key is 160 random bits (it cannot be guessed) and checking one
        costs no Argon2, so it stays the owner's way in while logins are being slowed down."""
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
        fields = self._password_fields(user.id, data_key, new_password)
        fresh = vault.new_recovery_key()
        with self.db.transaction() as tx:
            row = tx.get_one(User, user.id)
            if row.dek_by_recovery != user.dek_by_recovery:  # spent meanwhile, by another request
                raise AuthenticationError(NO_MATCH)
            fields.apply(row)
            row.dek_by_recovery = _wrap_recovery(fresh, data_key, user.id)
            self.credentials.revoke_all_except(tx, user.id, keep=None)
        return fresh

    def delete_account(self, principal: Principal, password: str) -> None:
        """Deletes the person and everything every feature keeps about them, in one
        transaction (the foreign keys' cascade is only the second line of defence)."""
        self.credentials.confirm_password(principal, password, "the password is not right")
        with self.db.transaction() as tx:
            self._erase(tx, principal.user_id)


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
