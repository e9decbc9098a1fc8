"""Check-ins: mood and energy on -5..+5, feelings, tags and a note, in a few seconds."""

from __future__ import annotations

from steadymind.features.checkins.factors import CheckInFactors
from steadymind.features.checkins.imports import IMPORT, CheckInImports
from steadymind.features.checkins.personal import CheckInData
from steadymind.features.checkins.service import NOTE, CheckInService
from steadymind.runtime import CheckInContext, CheckInImporter, Feature, MoodSource, Runtime


def setup(runtime: Runtime) -> None:
    service = runtime.provide(CheckInService(runtime.db, runtime.clock, runtime.seam))
    runtime.provide(service, MoodSource)
    runtime.provide(service, CheckInContext)
    runtime.seam.register_surface(NOTE)
    runtime.seam.register_surface(IMPORT)
    runtime.provide(CheckInImports(runtime.db, runtime.clock, runtime.seam), CheckInImporter)
    runtime.add_factor_source(CheckInFactors(runtime.db))
    runtime.seam.register_answers(NOTE.name, service.record_answer)
    runtime.seam.register_context(service.recent_notes)
    runtime.add_personal_data(CheckInData(service))


FEATURE = Feature(name="checkins", setup=setup, requires=("accounts",))
