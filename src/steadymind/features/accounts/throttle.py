"""Failed logins, counted per account and per client over a window, in the database so that
every app instance sees the same count."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.config import Settings
from steadymind.core.errors import RateLimited
from steadymind.features.accounts.tables import LoginAttempt


class LoginThrottle:
    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    def check(self, tx: Session, name: str, client: str) -> None:
        """Raise RateLimited when the account or the client failed too often in the window."""
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

    def failed(self, tx: Session, name: str, client: str) -> None:
        tx.add(LoginAttempt(username=name, client=client, at=self.clock.now()))

    def succeeded(self, tx: Session, name: str) -> None:
        tx.execute(delete(LoginAttempt).where(LoginAttempt.username == name))
