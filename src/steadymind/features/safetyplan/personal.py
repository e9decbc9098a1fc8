"""A person's safety plan in their export, and gone with their account."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from steadymind.crypto.principal import Principal
from steadymind.features.safetyplan.service import SafetyPlanService
from steadymind.features.safetyplan.tables import SafetyPlanRow


class SafetyPlanData:
    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "safety_plans": ("user_id", "updated_at"),
    }

    def __init__(self, service: SafetyPlanService) -> None:
        self.service = service

    def export(self, owner: Principal) -> dict[str, Any]:
        plan = self.service.load(owner)
        return {"safety_plan": None if plan is None else plan.model_dump(mode="json")}

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        plan = sections["safety_plan"]
        if not plan:
            return {}
        return {"safety_plan.json": json.dumps(plan, ensure_ascii=False, indent=2)}

    def erase(self, tx: Session, user_id: str) -> None:
        tx.execute(delete(SafetyPlanRow).where(SafetyPlanRow.user_id == user_id))
