"""A person's safety plan, stored encrypted; its words pass the text seam like any they write."""

from __future__ import annotations

from collections.abc import Mapping

from steadymind.core.clock import Clock
from steadymind.crypto.principal import Principal
from steadymind.db.engine import Database
from steadymind.features.safetyplan.tables import SafetyPlanRow
from steadymind.safety.plan import SafetyPlan, plan_as_lines
from steadymind.screen import Surface, TextSeam, Verdict

TABLE = "safety_plans"


def plan_text(parts: Mapping[str, str | None]) -> str:
    """What the gate reads of a stored plan: its items, one per line (it reads them one by
    one: see ``steadymind.safety.gate.SAFETY_PLAN_READING``)."""
    stored = parts.get("plan")
    if not stored:
        return ""
    lines = plan_as_lines(SafetyPlan.from_json(stored))
    return "\n".join(line for section in lines.values() for line in section)


PLAN = Surface("safety-plan", context="none", reads="safety-plan", reader=plan_text)


class SafetyPlanService:
    def __init__(self, db: Database, clock: Clock, seam: TextSeam) -> None:
        self.db = db
        self.clock = clock
        self.seam = seam

    def load(self, p: Principal) -> SafetyPlan | None:
        with self.db.transaction() as tx:
            row = tx.get(SafetyPlanRow, p.user_id)
        if row is None:
            return None
        return SafetyPlan.from_json(p.cipher().decrypt(TABLE, "plan", p.user_id, row.plan_ct))

    def save(self, p: Principal, plan: SafetyPlan) -> Verdict | None:
        """Save the plan whatever the seam finds: it is the person's protection and losing it
        would help no one. At elevated and above the verdict carries the crisis response (with
        this plan in it) for the caller to show instead of the normal flow. None for an empty
        plan (nothing to read)."""
        screened = self.seam.screen({"plan": plan.to_json()}, surface=PLAN.name, owner=p, plan=plan)
        blob = screened.seal(p.cipher(), TABLE, p.user_id).parts["plan"]
        assert blob is not None  # the plan part is always given
        now = self.clock.now()
        with self.db.transaction() as tx:
            row = tx.get(SafetyPlanRow, p.user_id)
            if row is None:
                tx.add(SafetyPlanRow(user_id=p.user_id, plan_ct=blob, updated_at=now))
            else:
                row.plan_ct, row.updated_at = blob, now
        return screened.verdict
