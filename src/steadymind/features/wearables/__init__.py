"""Wearables: sleep, activity and heart-rate variability from the devices people already wear.

Importers (``importers/``, one file per device) read an export into samples; the service keeps
them encrypted or only as daily numbers (the person's choice), and offers the days to the
insights as factors, each relative to the person's own usual.
"""

from __future__ import annotations

from steadymind.features.wearables.factors import WearableFactors
from steadymind.features.wearables.personal import WearableData
from steadymind.features.wearables.service import WearableService
from steadymind.runtime import Feature, Runtime


def setup(runtime: Runtime) -> None:
    service = runtime.provide(WearableService(runtime.db, runtime.clock))
    runtime.add_factor_source(WearableFactors(service))
    runtime.add_personal_data(WearableData(service))


FEATURE = Feature(
    name="wearables",
    setup=setup,
    requires=("accounts",),
    upload_routes=frozenset({("POST", "/api/v1/wearables/imports"), ("POST", "/wearables/upload")}),
)
