"""The export: versioned JSON, or a ZIP of one CSV (or JSON) file per kind of data."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from steadymind.crypto.principal import Principal
from steadymind.features.export.columns import flatten
from steadymind.runtime import Runtime

EXPORT_FORMAT = "steadymind-export"
EXPORT_VERSION = 1


class Exporter:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def collect(self, p: Principal) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self.runtime.clock.now().isoformat(),
        }
        for source in self.runtime.personal_data:
            data.update(source.export(p))
        return data

    def to_json(self, p: Principal) -> bytes:
        return json.dumps(self.collect(p), ensure_ascii=False, indent=2).encode("utf-8")

    def files(self, p: Principal) -> dict[str, str]:
        """Every feature's files (``name.csv``, or JSON for what is not a table), with the
        analysis beside each text as readable columns (``columns.py``)."""
        sections = flatten(self.collect(p))
        files: dict[str, str] = {}
        for source in self.runtime.personal_data:
            files |= source.files(sections)
        return files

    def to_csv_zip(self, p: Principal) -> bytes:
        return zip_of(self.files(p))


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
