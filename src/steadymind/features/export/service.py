"""The export: versioned JSON, or a ZIP of one CSV (or JSON) file per kind of data."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from steadymind.crypto.principal import Principal
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

    def to_csv_zip(self, p: Principal) -> bytes:
        data = self.collect(p)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for source in self.runtime.personal_data:
                for name, content in source.files(data).items():
                    archive.writestr(name, content)
        return buffer.getvalue()
