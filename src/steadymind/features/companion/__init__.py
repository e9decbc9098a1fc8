"""The companion: conversations that listen and guided CBT exercises, on the person's say-so.

It runs only for someone whose AI setting is "companion" and who accepted its consent. Every
turn a person writes passes the text seam with the conversation as context; the companion's mind
(flows, free talk, thinking traps) lives in :mod:`steadymind.companion`.
"""

from __future__ import annotations

from steadymind.features.companion.personal import CompanionData
from steadymind.features.companion.service import MEMORY, TURN, CompanionService
from steadymind.runtime import Feature, PlanSource, Runtime


def setup(runtime: Runtime) -> None:
    service = runtime.provide(CompanionService(runtime.db, runtime.clock, runtime.seam))
    runtime.provide(service, PlanSource)
    runtime.seam.register_surface(TURN)
    runtime.seam.register_surface(MEMORY)
    runtime.seam.register_answers(TURN.name, service.record_answer)
    runtime.seam.register_context(service.recent_turns)
    runtime.add_personal_data(CompanionData(service))


FEATURE = Feature(name="companion", setup=setup, requires=("accounts",))
