"""The safety plan (Stanley-Brown): seven steps in the person's own words, shown in a crisis."""

from __future__ import annotations

from steadymind.features.safetyplan.personal import SafetyPlanData
from steadymind.features.safetyplan.service import PLAN, SafetyPlanService
from steadymind.runtime import Feature, Runtime


def setup(runtime: Runtime) -> None:
    service = runtime.provide(SafetyPlanService(runtime.db, runtime.clock, runtime.seam))
    runtime.seam.register_surface(PLAN)
    # Every crisis response on every surface shows the person's own plan.
    runtime.seam.set_plan_source(service.load)
    runtime.add_personal_data(SafetyPlanData(service))


FEATURE = Feature(name="safetyplan", setup=setup, requires=("accounts",))
