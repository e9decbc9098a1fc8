"""A person's journal in their export, and gone with their account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from steadymind.core.tabular import PAGE, all_pages, to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.journal.service import JournalService
from steadymind.features.journal.tables import JournalEntry, JournalSearch


class JournalData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "journal_entries": ("id", "user_id", "at", "tz", "tags", "created_at", "updated_at"),
    }

    def __init__(self, service: JournalService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        items = all_pages(lambda offset: self.service.find(owner, limit=PAGE, offset=offset))
        return {"journal": [e.model_dump(mode="json") for e in items]}

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        return {"journal.csv": to_csv(sections["journal"])}

    def erase(self, tx: Session, user_id: str) -> None:
        # The index rows go with their entries by cascade too; said here so that it never
        # depends on the database enforcing foreign keys.
        mine = select(JournalEntry.id).where(JournalEntry.user_id == user_id)
        tx.execute(delete(JournalSearch).where(JournalSearch.entry_id.in_(mine)))
        tx.execute(delete(JournalEntry).where(JournalEntry.user_id == user_id))
