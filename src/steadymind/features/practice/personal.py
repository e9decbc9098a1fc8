"""A person's practice sessions and profile in their export, and gone with their account."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from steadymind.core.tabular import PAGE, all_pages, to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.practice.service import PracticeService
from steadymind.features.practice.tables import PracticeProfile, PracticeSession


class PracticeData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "practice_sessions": (
            "id", "user_id", "practice_id", "goal", "minutes", "params", "tz", "started_at",
            "finished_at", "calm_before", "calm_after", "biofeedback", "created_at",
            "updated_at",
        ),
        "practice_profiles": (
            "user_id", "experience", "prefs", "resonance_bpm", "scanned_at", "updated_at",
        ),
    }  # fmt: skip

    def __init__(self, service: PracticeService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        items = all_pages(lambda offset: self.service.find(owner, limit=PAGE, offset=offset))
        profile = self.service.saved_profile(owner)
        return {
            "practice_sessions": [s.model_dump(mode="json") for s in items],
            "practice_profile": None if profile is None else profile.model_dump(mode="json"),
        }

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        # Like the safety plan: a file only for what there is (nothing practised, no file).
        found = {}
        rows = [
            {**s, "params": json.dumps(s["params"]), "biofeedback": json.dumps(s["biofeedback"])}
            for s in sections["practice_sessions"]
        ]
        if rows:
            found["practice_sessions.csv"] = to_csv(rows)
        if sections["practice_profile"]:
            found["practice_profile.json"] = json.dumps(sections["practice_profile"], indent=2)
        return found

    def erase(self, tx: Session, user_id: str) -> None:
        tx.execute(delete(PracticeSession).where(PracticeSession.user_id == user_id))
        tx.execute(delete(PracticeProfile).where(PracticeProfile.user_id == user_id))
