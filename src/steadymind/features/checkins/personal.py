"""A person's check-ins in their export, and gone with their account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from steadymind.core.tabular import PAGE, all_pages, to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.checkins.service import CheckInService
from steadymind.features.checkins.tables import CheckIn


class CheckInData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "checkins": (
            "id", "user_id", "at", "tz", "mood", "energy", "intensity", "emotions", "tags",
            "created_at", "updated_at", "import_key",
        ),
    }  # fmt: skip

    def __init__(self, service: CheckInService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        items = all_pages(lambda offset: self.service.find(owner, limit=PAGE, offset=offset))
        return {"checkins": [c.model_dump(mode="json") for c in items]}

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        return {"checkins.csv": to_csv(sections["checkins"])}

    def erase(self, tx: Session, user_id: str) -> None:
        tx.execute(delete(CheckIn).where(CheckIn.user_id == user_id))
