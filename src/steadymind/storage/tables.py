"""Imports every table so the metadata is complete (for Alembic and the schema tests)."""

from steadymind.accounts.tables import ApiToken, AuthSession, LoginAttempt, User
from steadymind.db.base import Base
from steadymind.storage.plan_tables import SafetyPlanRow
from steadymind.tracking.tables import CheckIn, JournalEntry

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "AuthSession",
    "CheckIn",
    "JournalEntry",
    "LoginAttempt",
    "SafetyPlanRow",
    "User",
    "metadata",
]
