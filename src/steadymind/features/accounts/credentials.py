"""Logging in, and the credentials that carry a person's unlocked key between requests.

A browser session (cookie) or an API token is ``<id>.<secret>``: the database keeps a hash of the
secret and the person's data key wrapped by a key only the secret can derive, so any app
instance sharing the database can serve the request, and none can without the credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import AuthenticationError, NotFound, ValidationError
from steadymind.crypto import vault
from steadymind.crypto.principal import AI_LEVELS, AiLevel, Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.features.accounts import devices
from steadymind.features.accounts.passwords import PasswordHashing
from steadymind.features.accounts.tables import ApiToken, AuthSession, User
from steadymind.features.accounts.throttle import LoginThrottle, Origin

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
TOKEN_PREFIX = "smt_"  # noqa: S105 (a prefix, not a secret)
# last_seen_at is written at most this often, so reads do not each cost a write.
TOUCH_EVERY = timedelta(minutes=1)
BAD_LOGIN = "wrong username or password"


@dataclass(frozen=True)
class NewCredential:
    """A fresh session cookie value or API token: shown once, never stored in the clear; and,
    after a login, the client's known-device token (``devices``) for its next login."""

    principal: Principal
    secret: str
    device: str | None = None


def normalise_username(username: str) -> str:
    name = username.strip().casefold()
    if not USERNAME_RE.fullmatch(name):
        raise ValidationError(
            "a username has 3-64 characters: letters, digits, dots, dashes or underscores"
        )
    return name


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def digest(secret: bytes) -> bytes:
    return hashlib.sha256(secret).digest()


def _parse_secret(encoded: str) -> bytes:
    try:
        secret = _unb64(encoded)
    except (ValueError, TypeError):
        raise AuthenticationError("please log in") from None
    if len(secret) != 32:
        raise AuthenticationError("please log in")
    return secret


def _principal(
    user: User, data_key: bytes, via: Literal["session", "token"], credential_id: str
) -> Principal:
    level: AiLevel = "suggestions"
    for known in AI_LEVELS:
        if user.ai_level == known:
            level = known
    return Principal(
        user.id,
        user.username,
        data_key,
        via,
        credential_id,
        user.country,
        user.timezone,
        level,
    )


class Credentials:
    """Logins, sessions and API tokens; the app's :class:`~steadymind.runtime.Authenticator`."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.hashing = PasswordHashing(
            settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_max_concurrent
        )
        self.throttle = LoginThrottle(db, settings, clock)

    # -- logging in --------------------------------------------------------------------------

    def _verify_login(
        self, username: str, password: str, origin: Origin | None, client: str, device: str | None
    ) -> tuple[User, bytes, str]:
        """The account and its data key, and a device token; counted by the throttle before
        any Argon2 work. ``origin`` None: the client is ``client``'s address, or the device
        that ``device`` names when it is a valid token of this account."""
        try:
            name = normalise_username(username)
        except ValidationError:
            raise AuthenticationError(BAD_LOGIN) from None
        with self.db.transaction() as tx:
            user = tx.scalar(select(User).where(User.username == name))
        device_id = devices.check(user, device) if user is not None else None
        if origin is None:
            origin = Origin.device(device_id) if device_id else Origin.address(client)
        self.throttle.admit(name, origin)
        if user is None:
            self.hashing.burn(password)
        elif self.hashing.verify(user.password_hash, password):
            params = vault.KdfParams.from_dict(user.kdf)
            kek = self.hashing.kek(password, params)
            data_key = vault.unwrap_key(
                kek, user.dek_by_password, purpose="password", bound_to=user.id
            )
            self.throttle.succeeded(name, origin)
            return user, data_key, devices.issue(user, device_id)
        raise AuthenticationError(BAD_LOGIN)

    def log_in(
        self, username: str, password: str, *, client: str, device: str | None = None
    ) -> NewCredential:
        """Verify a password and open a browser session. ``client`` is the address;
        ``device`` the token this client was given at its last login, if any."""
        user, data_key, token = self._verify_login(username, password, None, client, device)
        return replace(self._open_session(user, data_key), device=token)

    def log_in_token(
        self, username: str, password: str, *, client: str, name: str, device: str | None = None
    ) -> NewCredential:
        """Verify a password and issue an API token (for programmatic clients)."""
        user, data_key, token = self._verify_login(username, password, None, client, device)
        return replace(self._issue_token(user.id, data_key, name), device=token)

    def unlock(self, username: str, password: str, *, client: str) -> Principal:
        """The terminal's login (the CLI): counted on its own, like a known device, since it
        runs beside the database it could read directly."""
        user, data_key, _ = self._verify_login(username, password, Origin.terminal(), client, None)
        return self._open_session(user, data_key).principal

    def after_sign_up(
        self, user_id: str, data_key: bytes, *, token_name: str | None = None
    ) -> NewCredential:
        """The first session (or API token) of a new account, from the key sign-up made: no
        second Argon2 run; and the device token for the client that signed up."""
        with self.db.transaction() as tx:
            user = tx.get_one(User, user_id)
        if token_name is None:
            opened = self._open_session(user, data_key)
        else:
            opened = self._issue_token(user.id, data_key, token_name)
        return replace(opened, device=devices.issue(user))

    def confirm_password(self, principal: Principal, password: str, wrong: str) -> User:
        """The person's password again, before a change that matters (the password, the
        recovery key, deletion): counted like a login from this session, before Argon2."""
        origin = Origin.credential(principal.credential_id)
        self.throttle.admit(principal.username, origin)
        with self.db.transaction() as tx:
            user = tx.get_one(User, principal.user_id)
        if not self.hashing.verify(user.password_hash, password):
            raise AuthenticationError(wrong)
        self.throttle.succeeded(principal.username, origin)
        return user

    def create_token(self, principal: Principal, name: str) -> NewCredential:
        return self._issue_token(principal.user_id, principal.data_key, name)

    def _open_session(self, user: User, data_key: bytes) -> NewCredential:
        now = self.clock.now()
        session_id, secret = new_id(), secrets.token_bytes(32)
        row = AuthSession(
            id=session_id,
            user_id=user.id,
            secret_hash=digest(secret),
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
        return NewCredential(
            _principal(user, data_key, "session", session_id), f"{session_id}.{_b64(secret)}"
        )

    def _issue_token(self, user_id: str, data_key: bytes, name: str) -> NewCredential:
        name = name.strip()[:100] or "API token"
        token_id, secret = new_id(), secrets.token_bytes(32)
        row = ApiToken(
            id=token_id,
            user_id=user_id,
            name=name,
            secret_hash=digest(secret),
            wrapped_dek=vault.wrap_key(
                vault.secret_kek(secret, "token"), data_key, purpose="token", bound_to=token_id
            ),
            created_at=self.clock.now(),
        )
        with self.db.transaction() as tx:
            tx.add(row)
            user = tx.get_one(User, user_id)
            principal = _principal(user, data_key, "token", token_id)
        return NewCredential(principal, f"{TOKEN_PREFIX}{token_id}_{_b64(secret)}")

    # -- authenticating requests -------------------------------------------------------------

    def authenticate_session(self, cookie: str) -> Principal:
        session_id, _, encoded = cookie.partition(".")
        secret = _parse_secret(encoded)
        now = self.clock.now()
        idle = timedelta(minutes=self.settings.session_idle_minutes)
        with self.db.transaction() as tx:
            row = tx.get(AuthSession, session_id) if len(session_id) == 32 else None
            if row is None or not hmac.compare_digest(row.secret_hash, digest(secret)):
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
            return _principal(user, data_key, "session", row.id)

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
                or not hmac.compare_digest(row.secret_hash, digest(secret))
                or row.revoked_at is not None
            ):
                raise AuthenticationError("invalid or revoked API token")
            if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
                row.last_used_at = now
            user = tx.get_one(User, row.user_id)
            data_key = vault.unwrap_key(
                vault.secret_kek(secret, "token"), row.wrapped_dek, purpose="token", bound_to=row.id
            )
            return _principal(user, data_key, "token", row.id)

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

    def revoke_all_except(self, tx: Session, user_id: str, keep: str | None) -> None:
        now = self.clock.now()
        for table in (AuthSession, ApiToken):
            tx.execute(
                update(table)
                .where(
                    table.user_id == user_id, table.revoked_at.is_(None), table.id != (keep or "")
                )
                .values(revoked_at=now)
            )
