"""Your data: everything every feature keeps about a person, decrypted for them, as JSON or as a
ZIP of CSV files. It reads the runtime's personal-data registry, so it knows no feature."""

from __future__ import annotations

from steadymind.features.export.service import Exporter
from steadymind.runtime import Feature, Runtime


def setup(runtime: Runtime) -> None:
    runtime.provide(Exporter(runtime))


FEATURE = Feature(name="export", setup=setup, requires=("accounts",))
