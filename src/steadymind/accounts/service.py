"""Sign-up, login, sessions, API tokens, password changes, recovery and account deletion."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from steadymind.accounts.passwords import PasswordHashing, check_policy, normalise
from steadymind.accounts.tables import ApiToken, AuthSession, LoginAttempt, User
from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import (
    AuthenticationError,
    Conflict,
    NotFound,
    RateLimited,
    ValidationError,
)
from steadymind.crypto import vault
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
TOKEN_PREFIX = "smt_"  # noqa: S105 (a prefix, not a secret)
# last_seen_at is written at most this often, so reads do not each cost a write.
TOUCH_EVERY = timedelta(minutes=1)
BAD_LOGIN = "wrong username or password"


@dataclass(frozen=True)
class SignUpResult:
    user_id: str
    recovery_key: str


@dataclass(frozen=True)
class NewCredential:
    """A fresh session cookie value or API token: shown once, never stored in the clear."""

    principal: Principal
    secret: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(secret: bytes) -> bytes:
    return hashlib.sha256(secret).digest()


def normalise_username(username: str) -> str:
    name = username.strip().casefold()
    if not USERNAME_RE.fullmatch(name):
        raise ValidationError(
            "a username has 3-64 characters: letters, digits, dots, dashes or underscores"
        )
    return name


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone {name!r}") from None
    return name


def check_country(code: str | None) -> str | None:
    if code is None or code == "":
        return None
    if not re.fullmatch(r"[A-Za-z]{2}", code):
        raise ValidationError("country must be a two-letter ISO code, for example GB or US")
    return code.upper()


class AccountService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.hashing = PasswordHashing(settings.argon2_time_cost, settings.argon2_memory_kib)

    # -- sign-up and login -------------------------------------------------------------------

    def sign_up(
        self, username: str, password: str, *, country: str | None = None, timezone: str = "UTC"
    ) -> SignUpResult:
        name = normalise_username(username)
        password = check_policy(password)
        country = check_country(country)
        timezone = check_timezone(timezone)
        user_id = new_id()
        data_key = vault.new_data_key()
        params = vault.KdfParams.fresh(
            self.settings.argon2_time_cost, self.settings.argon2_memory_kib
        )
        recovery_key = vault.new_recovery_key()
        recovery_kek = vault.secret_kek(vault.recovery_key_bytes(recovery_key), "recovery")
        user = User(
            id=user_id,
            username=name,
            password_hash=self.hashing.hash(password),
            kdf=params.to_dict(),
            dek_by_password=vault.wrap_key(
                vault.password_kek(password, params), data_key, purpose="password", bound_to=user_id
            ),
            dek_by_recovery=vault.wrap_key(
                recovery_kek, data_key, purpose="recovery", bound_to=user_id
            ),
            country=country,
            timezone=timezone,
            created_at=self.clock.now(),
        )
        with self.db.transaction() as tx:
            if tx.scalar(select(User.id).where(User.username == name)) is not None:
                raise Conflict("that username is taken")
            tx.add(user)
        return SignUpResult(user_id=user_id, recovery_key=recovery_key)

    def _check_rate(self, tx: Session, name: str, client: str) -> None:
        since = self.clock.now() - timedelta(minutes=self.settings.login_window_minutes)
        tx.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
        per_account = tx.scalar(
            select(func.count()).where(LoginAttempt.username == name, LoginAttempt.at >= since)
        )
        per_client = tx.scalar(
            select(func.count()).where(LoginAttempt.client == client, LoginAttempt.at >= since)
        )
        if (per_account or 0) >= self.settings.login_max_failures_per_account or (
            per_client or 0
        ) >= self.settings.login_max_failures_per_client:
            raise RateLimited(
                "too many failed logins; wait a few minutes and try again",
                retry_after=self.settings.login_window_minutes * 60,
            )

    def _verify_login(self, username: str, password: str, client: str) -> tuple[User, bytes]:
        try:
            name = normalise_username(username)
        except ValidationError:
            raise AuthenticationError(BAD_LOGIN) from None
        client = client[:64]
        with self.db.transaction() as tx:
            self._check_rate(tx, name, client)
            user = tx.scalar(select(User).where(User.username == name))
        if user is None:
            self.hashing.burn(password)
        elif self.hashing.verify(user.password_hash, password):
            params = vault.KdfParams.from_dict(user.kdf)
            kek = vault.password_kek(normalise(password), params)
            data_key = vault.unwrap_key(
                kek, user.dek_by_password, purpose="password", bound_to=user.id
            )
            with self.db.transaction() as tx:
                tx.execute(delete(LoginAttempt).where(LoginAttempt.username == name))
            return user, data_key
        with self.db.transaction() as tx:
            tx.add(LoginAttempt(username=name, client=client, at=self.clock.now()))
        raise AuthenticationError(BAD_LOGIN)

    def log_in(self, username: str, password: str, *, client: str) -> NewCredential:
        """Verify a password and open a browser session."""
        user, data_key = self._verify_login(username, password, client)
        return self._open_session(user, data_key)

    def log_in_token(
        self, username: str, password: str, *, client: str, name: str
    ) -> NewCredential:
        """Verify a password and issue an API token (for programmatic clients)."""
        user, data_key = self._verify_login(username, password, client)
        return self._issue_token(user.id, user.username, data_key, name)

    def _open_session(self, user: User, data_key: bytes) -> NewCredential:
        now = self.clock.now()
        session_id, secret = new_id(), secrets.token_bytes(32)
        row = AuthSession(
            id=session_id,
            user_id=user.id,
            secret_hash=_digest(secret),
            wrapped_dek=vault.wrap_key(
                vault.secret_kek(secret, "session"),
                data_key,
                purpose="session",
                bound_to=session_id,
            ),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=self.settings.session_absolute_hours),
        )
        with self.db.transaction() as tx:
            tx.add(row)
        principal = Principal(
            user.id, user.username, data_key, "session", session_id, user.country, user.timezone
        )
        return NewCredential(principal, f"{session_id}.{_b64(secret)}")

    def _issue_token(
        self, user_id: str, username: str, data_key: bytes, name: str
    ) -> NewCredential:
        name = name.strip()[:100] or "API token"
        token_id, secret = new_id(), secrets.token_bytes(32)
        row = ApiToken(
            id=token_id,
            user_id=user_id,
            name=name,
            secret_hash=_digest(secret),
            wrapped_dek=vault.wrap_key(
                vault.secret_kek(secret, "token"), data_key, purpose="token", bound_to=token_id
            ),
            created_at=self.clock.now(),
        )
        with self.db.transaction() as tx:
            tx.add(row)
            user = tx.get_one(User, user_id)
            country, timezone = user.country, user.timezone
        principal = Principal(user_id, username, data_key, "token", token_id, country, timezone)
        return NewCredential(principal, f"{TOKEN_PREFIX}{token_id}_{_b64(secret)}")

    def create_token(self, principal: Principal, name: str) -> NewCredential:
        return self._issue_token(principal.user_id, principal.username, principal.data_key, name)

    # -- authenticating requests -------------------------------------------------------------

    def authenticate_session(self, cookie: str) -> Principal:
        session_id, _, encoded = cookie.partition(".")
        secret = _parse_secret(encoded)
        now = self.clock.now()
        idle = timedelta(minutes=self.settings.session_idle_minutes)
        with self.db.transaction() as tx:
            row = tx.get(AuthSession, session_id) if len(session_id) == 32 else None
            if row is None or not hmac.compare_digest(row.secret_hash, _digest(secret)):
                raise AuthenticationError("please log in")
            if row.revoked_at is not None or now >= row.expires_at or now - row.last_seen_at > idle:
                raise AuthenticationError("your session has expired; please log in again")
            if now - row.last_seen_at >= TOUCH_EVERY:
                row.last_seen_at = now
            user = tx.get_one(User, row.user_id)
            data_key = vault.unwrap_key(
                vault.secret_kek(secret, "session"),
                row.wrapped_dek,
                purpose="session",
                bound_to=row.id,
            )
            return Principal(
                user.id, user.username, data_key, "session", row.id, user.country, user.timezone
            )

    def authenticate_token(self, token: str) -> Principal:
        body = token.removeprefix(TOKEN_PREFIX)
        token_id, _, encoded = body.partition("_")
        secret = _parse_secret(encoded)
        now = self.clock.now()
        with self.db.transaction() as tx:
            row = tx.get(ApiToken, token_id) if len(token_id) == 32 else None
            if (
                row is None
                or not token.startswith(TOKEN_PREFIX)
                or not hmac.compare_digest(row.secret_hash, _digest(secret))
                or row.revoked_at is not None
            ):
                raise AuthenticationError("invalid or revoked API token")
            if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
                row.last_used_at = now
            user = tx.get_one(User, row.user_id)
            data_key = vault.unwrap_key(
                vault.secret_kek(secret, "token"), row.wrapped_dek, purpose="token", bound_to=row.id
            )
            return Principal(
                user.id, user.username, data_key, "token", row.id, user.country, user.timezone
            )

    # -- managing credentials ----------------------------------------------------------------

    def log_out(self, principal: Principal) -> None:
        table = AuthSession if principal.via == "session" else ApiToken
        with self.db.transaction() as tx:
            tx.execute(
                update(table)
                .where(table.id == principal.credential_id, table.revoked_at.is_(None))
                .values(revoked_at=self.clock.now())
            )

    def list_sessions(self, principal: Principal) -> list[AuthSession]:
        now = self.clock.now()
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(AuthSession)
                .where(AuthSession.user_id == principal.user_id, AuthSession.revoked_at.is_(None))
                .order_by(AuthSession.created_at.desc())
            ).all()
        return [r for r in rows if r.expires_at > now]

    def list_tokens(self, principal: Principal) -> list[ApiToken]:
        with self.db.transaction() as tx:
            return list(
                tx.scalars(
                    select(ApiToken)
                    .where(ApiToken.user_id == principal.user_id, ApiToken.revoked_at.is_(None))
                    .order_by(ApiToken.created_at.desc())
                )
            )

    def revoke(self, principal: Principal, kind: str, credential_id: str) -> None:
        table = AuthSession if kind == "session" else ApiToken
        with self.db.transaction() as tx:
            result = tx.execute(
                update(table)
                .where(
                    table.id == credential_id,
                    table.user_id == principal.user_id,
                    table.revoked_at.is_(None),
                )
                .values(revoked_at=self.clock.now())
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFound(f"no such {kind}")

    def _revoke_all_except(self, tx: Session, user_id: str, keep: str | None) -> None:
        now = self.clock.now()
        for table in (AuthSession, ApiToken):
            tx.execute(
                update(table)
                .where(
                    table.user_id == user_id, table.revoked_at.is_(None), table.id != (keep or "")
                )
                .values(revoked_at=now)
            )

    # -- profile, password, recovery, deletion -----------------------------------------------

    def get_user(self, principal: Principal) -> User:
        with self.db.transaction() as tx:
            return tx.get_one(User, principal.user_id)

    def update_profile(
        self, principal: Principal, *, country: str | None = None, timezone: str | None = None
    ) -> User:
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            if country is not None:
                user.country = check_country(country)
            if timezone is not None:
                user.timezone = check_timezone(timezone)
            return user

    def _rewrap_password(self, user: User, data_key: bytes, new_password: str) -> None:
        params = vault.KdfParams.fresh(
            self.settings.argon2_time_cost, self.settings.argon2_memory_kib
        )
        user.password_hash = self.hashing.hash(new_password)
        user.kdf = params.to_dict()
        user.dek_by_password = vault.wrap_key(
            vault.password_kek(new_password, params), data_key, purpose="password", bound_to=user.id
        )

    def change_password(self, principal: Principal, current: str, new: str) -> None:
        """Re-wraps the data key only: no journal entry is re-encrypted."""
        new = check_policy(new)
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            if not self.hashing.verify(user.password_hash, current):
                raise AuthenticationError("the current password is not right")
            self._rewrap_password(user, principal.data_key, new)
            self._revoke_all_except(tx, user.id, keep=principal.credential_id)

    def recover(self, username: str, recovery_key: str, new_password: str) -> str:
        """Set a new password with the recovery key; returns a fresh recovery key."""
        new_password = check_policy(new_password)
        raw = vault.recovery_key_bytes(recovery_key)
        with self.db.transaction() as tx:
            try:
                name = normalise_username(username)
            except ValidationError:
                raise AuthenticationError("that username and recovery key do not match") from None
            user = tx.scalar(select(User).where(User.username == name))
            if user is None:
                raise AuthenticationError("that username and recovery key do not match")
            try:
                data_key = vault.unwrap_key(
                    vault.secret_kek(raw, "recovery"),
                    user.dek_by_recovery,
                    purpose="recovery",
                    bound_to=user.id,
                )
            except Exception:
                raise AuthenticationError("that username and recovery key do not match") from None
            self._rewrap_password(user, data_key, new_password)
            fresh = vault.new_recovery_key()
            user.dek_by_recovery = vault.wrap_key(
                vault.secret_kek(vault.recovery_key_bytes(fresh), "recovery"),
                data_key,
                purpose="recovery",
                bound_to=user.id,
            )
            self._revoke_all_except(tx, user.id, keep=None)
        return fresh

    def delete_account(self, principal: Principal, password: str) -> None:
        """Deletes the user and, by cascade, every row that belongs to them."""
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
            if not self.hashing.verify(user.password_hash, password):
                raise AuthenticationError("the password is not right")
            tx.execute(delete(LoginAttempt).where(LoginAttempt.username == user.username))
            tx.delete(user)


def _parse_secret(encoded: str) -> bytes:
    try:
        secret = _unb64(encoded)
    except (ValueError, TypeError):
        raise AuthenticationError("please log in") from None
    if len(secret) != 32:
        raise AuthenticationError("please log in")
    return secret
