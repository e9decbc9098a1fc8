"""What the app lock keeps about a person: in their export (never the PIN's hash nor a key's
bytes: they are useless to the person and a gift to whoever finds the export) and gone with
their account."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.app.lock import AppLockService
from steadymind.features.app.passkeys import Passkeys


class AppLockData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "app_locks": ("user_id", "pin_hash", "idle_minutes", "failures", "retry_at", "updated_at"),
        "app_lock_passkeys": (
            "id", "user_id", "credential_id", "public_key", "sign_count", "created_at",
        ),
        "app_lock_sessions": (
            "session_id", "user_id", "unlocked", "last_seen", "challenge", "challenge_kind",
            "challenge_at",
        ),
    }  # fmt: skip

    def __init__(self, lock: AppLockService, passkeys: Passkeys) -> None:
        self.lock = lock
        self.passkeys = passkeys

    def export(self, owner: Principal) -> dict[str, Any]:
        status = self.lock.status(owner)
        return {
            "app_lock": {
                "on": status.on,
                "pin": status.has_pin,
                "idle_minutes": status.idle_minutes,
                "passkeys": [
                    {"id": k.id, "added": k.created_at.isoformat()}
                    for k in self.passkeys.listed(owner)
                ],
            }
        }

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        keys = sections.get("app_lock", {}).get("passkeys", [])
        return {"app_lock_passkeys.csv": to_csv(keys)} if keys else {}

    def erase(self, tx: Session, user_id: str) -> None:
        self.lock.erase(tx, user_id)
