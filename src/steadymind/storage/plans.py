"""Encrypted storage of a person's safety plan (the plan's shape is domain code in safety)."""

from __future__ import annotations

import json
from typing import Any

from steadymind.accounts.principal import Principal
from steadymind.clock import Clock
from steadymind.storage.db import Database
from steadymind.storage.plan_tables import SafetyPlanRow


class SafetyPlanStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def load(self, p: Principal) -> dict[str, Any] | None:
        with self.db.transaction() as tx:
            row = tx.get(SafetyPlanRow, p.user_id)
        if row is None:
            return None
        return dict(json.loads(p.cipher().decrypt("safety_plans", "plan", p.user_id, row.plan_ct)))

    def save(self, p: Principal, plan: dict[str, Any]) -> None:
        blob = p.cipher().encrypt(
            "safety_plans", "plan", p.user_id, json.dumps({"v": 1, **plan}, ensure_ascii=False)
        )
        with self.db.transaction() as tx:
            row = tx.get(SafetyPlanRow, p.user_id)
            if row is None:
                tx.add(SafetyPlanRow(user_id=p.user_id, plan_ct=blob, updated_at=self.clock.now()))
            else:
                row.plan_ct = blob
                row.updated_at = self.clock.now()

    def delete(self, p: Principal) -> None:
        with self.db.transaction() as tx:
            row = tx.get(SafetyPlanRow, p.user_id)
            if row is not None:
                tx.delete(row)
