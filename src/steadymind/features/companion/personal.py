"""A person's conversations, memory, follow-ups and consent in their export, gone with them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.features.companion.service import CompanionService
from steadymind.features.companion.tables import (
    CompanionConsent,
    CompanionFollowUp,
    CompanionMemory,
    CompanionPrefs,
    CompanionSession,
    CompanionTurn,
)


class CompanionData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "companion_sessions": ("id", "user_id", "turns", "created_at", "updated_at"),
        "companion_turns": ("id", "session_id", "user_id", "seq", "role", "at"),
        "companion_memory": ("id", "user_id", "created_at", "updated_at"),
        "companion_follow_ups": ("id", "user_id", "due_at", "done_at", "created_at"),
        "companion_consent": ("id", "user_id", "version", "accepted_at", "revoked_at"),
        "companion_prefs": ("user_id", "llm_replies", "updated_at"),
    }

    def __init__(self, service: CompanionService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        conversations = []
        offset = 0
        while batch := self.service.sessions(owner, limit=200, offset=offset):
            for summary in batch:
                session = self.service.session(owner, summary.id, last=summary.turns or 1)
                conversations.append(session.model_dump(mode="json"))
            offset += len(batch)
        consent = self.service.consent(owner).model_dump(mode="json")
        return {
            "companion": {
                "conversations": conversations,
                "memory": [m.model_dump(mode="json") for m in self.service.memory(owner)],
                "planned": [
                    {**item, "due_at": item["due_at"].isoformat()}
                    for item in self.service.planned(owner)
                ],
                "consent": consent,
            }
        }

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        section = sections["companion"]
        turns = [
            {"conversation": c["id"], "at": t["at"], "who": t["role"], "text": t["text"]}
            for c in section["conversations"]
            for t in c["turns"]
        ]
        memory = [{"at": m["created_at"], "text": m["text"]} for m in section["memory"]]
        return {"companion.csv": to_csv(turns), "companion_memory.csv": to_csv(memory)}

    def erase(self, tx: Session, user_id: str) -> None:
        for table in (
            CompanionTurn,
            CompanionSession,
            CompanionMemory,
            CompanionFollowUp,
            CompanionConsent,
            CompanionPrefs,
        ):
            tx.execute(delete(table).where(table.user_id == user_id))
