"""Encrypted storage of a person's safety plan (the plan's shape is domain code in safety)."""

from __future__ import annotations

from steadymind.core.clock import Clock
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.safety.plan import SafetyPlan
from steadymind.storage.plan_tables import SafetyPlanRow


class SafetyPlanStore:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def load(self, p: Principal) -> SafetyPlan | None:
        with self.db.transaction() as tx:
            row = tx.get(SafetyPlanRow, p.user_id)
        if row is None:
            return None
        return SafetyPlan.from_json(
            p.cipher().decrypt("safety_plans", "plan", p.user_id, row.plan_ct)
        )

    def save(self, p: Principal, plan: SafetyPlan) -> None:
        blob = p.cipher().encrypt("safety_plans", "plan", p.user_id, plan.to_json())
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
