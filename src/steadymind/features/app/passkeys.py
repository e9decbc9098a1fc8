"""The device's passkey as the app lock's key (WebAuthn, with py_webauthn: the ``passkey``
extra, imported when a ceremony starts).

Both ceremonies keep their challenge on the server, on the browser session's lock row, for
``CHALLENGE_LIFE``; the browser's answer is checked against it, against the origin and the
relying party id of the configured base URL (``STEADYMIND_BASE_URL``; by default
``http://localhost:<port>``: browsers allow WebAuthn on plain http only for localhost), and
the challenge is spent whatever the answer. Only the credential's id, its public key and its
signature counter are stored.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import ConfigError, Conflict, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned
from steadymind.features.app.lock import DEFAULT_IDLE, AppLockService
from steadymind.features.app.tables import AppLock, LockPasskey, LockSession

CHALLENGE_LIFE = timedelta(minutes=5)
MAX_PASSKEYS = 10
NOT_ACCEPTED = "The passkey was not accepted. Try again, or use your PIN or password."
RP_NAME = "steadymind"


def relying_party(settings: Settings) -> tuple[str, str]:
    """(origin, RP id) from the configured base URL."""
    base = settings.base_url or f"http://localhost:{settings.port}"
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            "STEADYMIND_BASE_URL must be an http(s) address, like https://example.org"
        )
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin, parts.hostname


def _webauthn() -> Any:
    try:
        import webauthn
    except ImportError:  # pragma: no cover - the extra is part of the test environment
        raise ConfigError(
            "Passkeys need the passkey extra: pip install 'steadymind[passkey]'."
        ) from None
    return webauthn


class Passkeys:
    def __init__(
        self, db: Database, clock: Clock, settings: Settings, lock: AppLockService
    ) -> None:
        self.db = db
        self.clock = clock
        self.settings = settings
        self.lock = lock

    # -- registration (from the settings, while unlocked) ------------------------------------

    def registration_options(self, p: Principal) -> dict[str, Any]:
        wa = _webauthn()
        from webauthn.helpers.structs import (
            AuthenticatorSelectionCriteria,
            PublicKeyCredentialDescriptor,
            ResidentKeyRequirement,
            UserVerificationRequirement,
        )

        _, rp_id = relying_party(self.settings)
        options = wa.generate_registration_options(
            rp_id=rp_id,
            rp_name=RP_NAME,
            user_name=p.username,
            user_id=p.user_id.encode(),
            challenge=secrets.token_bytes(32),
            authenticator_selection=AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.DISCOURAGED,
                user_verification=UserVerificationRequirement.REQUIRED,
            ),
            exclude_credentials=[
                PublicKeyCredentialDescriptor(id=wa.base64url_to_bytes(c)) for c in self._ids(p)
            ],
        )
        self._keep_challenge(p, options.challenge, "register")
        result: dict[str, Any] = json.loads(wa.options_to_json(options))
        return result

    def register(self, p: Principal, credential: dict[str, Any]) -> None:
        """Checks the browser's answer; stores the passkey and turns the lock on."""
        wa = _webauthn()
        challenge = self._spend_challenge(p, "register")
        origin, rp_id = relying_party(self.settings)
        if len(self._ids(p)) >= MAX_PASSKEYS:
            raise Conflict(f"At most {MAX_PASSKEYS} passkeys.")
        try:
            verified = wa.verify_registration_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                require_user_verification=True,
            )
        except Exception:
            raise ValidationError(NOT_ACCEPTED) from None
        now = self.clock.now()
        with self.db.transaction() as tx:
            self._lock_on(tx, p)
            tx.add(
                LockPasskey(
                    id=new_id(),
                    user_id=p.user_id,
                    credential_id=_b64(verified.credential_id),
                    public_key=verified.credential_public_key,
                    sign_count=verified.sign_count,
                    created_at=now,
                )
            )

    def remove(self, p: Principal, passkey_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, LockPasskey, p.user_id, passkey_id, "No such passkey."))

    def listed(self, p: Principal) -> list[LockPasskey]:
        with self.db.transaction() as tx:
            return list(
                tx.scalars(
                    select(LockPasskey)
                    .where(LockPasskey.user_id == p.user_id)
                    .order_by(LockPasskey.created_at)
                )
            )

    # -- authentication (at the lock screen) -------------------------------------------------

    def unlock_options(self, p: Principal) -> dict[str, Any]:
        wa = _webauthn()
        from webauthn.helpers.structs import (
            PublicKeyCredentialDescriptor,
            UserVerificationRequirement,
        )

        ids = self._ids(p)
        if not ids:
            raise Conflict("There is no passkey for this account yet.")
        _, rp_id = relying_party(self.settings)
        options = wa.generate_authentication_options(
            rp_id=rp_id,
            challenge=secrets.token_bytes(32),
            allow_credentials=[
                PublicKeyCredentialDescriptor(id=wa.base64url_to_bytes(c)) for c in ids
            ],
            user_verification=UserVerificationRequirement.REQUIRED,
        )
        self._keep_challenge(p, options.challenge, "unlock")
        result: dict[str, Any] = json.loads(wa.options_to_json(options))
        return result

    def unlock(self, p: Principal, credential: dict[str, Any]) -> None:
        wa = _webauthn()
        challenge = self._spend_challenge(p, "unlock")
        origin, rp_id = relying_party(self.settings)
        raw_id = str(credential.get("rawId") or credential.get("id") or "")[:1400]
        with self.db.transaction() as tx:
            key = tx.scalar(
                select(LockPasskey).where(
                    LockPasskey.user_id == p.user_id, LockPasskey.credential_id == raw_id
                )
            )
        if key is None:
            raise ValidationError(NOT_ACCEPTED)
        try:
            verified = wa.verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                credential_public_key=key.public_key,
                credential_current_sign_count=key.sign_count,
                require_user_verification=True,
            )
        except Exception:
            raise ValidationError(NOT_ACCEPTED) from None
        with self.db.transaction() as tx:
            row = tx.get_one(LockPasskey, key.id)
            row.sign_count = verified.new_sign_count
        self.lock.unlock_verified(p)

    # -- the server-side challenge -----------------------------------------------------------

    def _ids(self, p: Principal) -> list[str]:
        with self.db.transaction() as tx:
            return list(
                tx.scalars(
                    select(LockPasskey.credential_id).where(LockPasskey.user_id == p.user_id)
                )
            )

    def _keep_challenge(self, p: Principal, challenge: bytes, kind: str) -> None:
        if p.via != "session":
            raise Conflict("Passkeys unlock a browser session.")
        now = self.clock.now()
        with self.db.transaction() as tx:
            state = tx.get(LockSession, p.credential_id)
            if state is None:
                # No row yet: a new session, locked if the lock is on. With the lock off the
                # person registering is in (the first passkey turns the lock on: they stay in).
                state = LockSession(
                    session_id=p.credential_id,
                    user_id=p.user_id,
                    unlocked=kind == "register" and tx.get(AppLock, p.user_id) is None,
                    last_seen=now,
                )
                tx.add(state)
            state.challenge, state.challenge_kind, state.challenge_at = challenge, kind, now

    def _spend_challenge(self, p: Principal, kind: str) -> bytes:
        """The challenge of this session's ceremony, forgotten as it is read (one answer)."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            state = tx.get(LockSession, p.credential_id)
            if state is None or state.challenge is None or state.challenge_kind != kind:
                raise ValidationError(NOT_ACCEPTED)
            challenge, at = state.challenge, state.challenge_at
            state.challenge, state.challenge_kind, state.challenge_at = None, None, None
        if at is None or now - at > CHALLENGE_LIFE:
            raise ValidationError(NOT_ACCEPTED)
        return challenge

    def _lock_on(self, tx: Session, p: Principal) -> None:
        if tx.get(AppLock, p.user_id) is None:
            tx.add(
                AppLock(
                    user_id=p.user_id,
                    failures=0,
                    idle_minutes=DEFAULT_IDLE,
                    updated_at=self.clock.now(),
                )
            )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
