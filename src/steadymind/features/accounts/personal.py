"""The account itself in the export (profile, sessions, tokens), and its erasure, last of all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.accounts.accounts import Accounts
from steadymind.features.accounts.credentials import Credentials
from steadymind.features.accounts.tables import ApiToken, AuthSession, LoginAttempt, User


class AccountData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "users": ("id", "username", "country", "timezone", "ai_level", "created_at"),
        "auth_sessions": (
            "id",
            "user_id",
            "created_at",
            "last_seen_at",
            "expires_at",
            "revoked_at",
        ),
        "api_tokens": ("id", "user_id", "name", "created_at", "last_used_at", "revoked_at"),
        "login_attempts": ("id", "username", "client", "at"),
    }
    # Needed to log in and useless without a password, recovery key or credential secret.
    key_material: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "users": ("password_hash", "kdf", "dek_by_password", "dek_by_recovery"),
        "auth_sessions": ("secret_hash", "wrapped_dek"),
        "api_tokens": ("secret_hash", "wrapped_dek"),
    }

    def __init__(self, accounts: Accounts, credentials: Credentials) -> None:
        self.accounts = accounts
        self.credentials = credentials

    def export(self, owner: Principal) -> dict[str, Any]:
        user = self.accounts.get_user(owner)
        return {
            "account": {
                "username": user.username,
                "country": user.country,
                "timezone": user.timezone,
                "created_at": user.created_at.isoformat(),
            },
            "sessions": [
                {"id": s.id, "created_at": s.created_at.isoformat()}
                for s in self.credentials.list_sessions(owner)
            ],
            "api_tokens": [
                {"id": t.id, "name": t.name, "created_at": t.created_at.isoformat()}
                for t in self.credentials.list_tokens(owner)
            ],
        }

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        return {"account.csv": to_csv([sections["account"]])}

    def erase(self, tx: Session, user_id: str) -> None:
        user = tx.get_one(User, user_id)
        # Failed logins are kept by name (they may precede the account): they go too.
        tx.execute(delete(LoginAttempt).where(LoginAttempt.username == user.username))
        for table in (AuthSession, ApiToken):
            tx.execute(delete(table).where(table.user_id == user_id))
        tx.delete(user)
