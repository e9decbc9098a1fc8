"""FastAPI's built-in OpenTelemetry stays off.

FastAPI (0.16x) instruments every app it makes: spans, metrics and log records of validation
failures and exceptions "including the original input values" (a journal entry), exported through
whatever OpenTelemetry providers the process has, and with ``FASTAPI_OTEL_AUTO_CONFIGURE=true``
plus an ``OTEL_EXPORTER_OTLP_ENDPOINT`` it adds exporters of its own. An operator who installs
an OpenTelemetry SDK for something else, or sets those variables, must not start shipping what
people write to a collector. The app turns all of it off; this test sets global providers that
record every use, in a fresh process (they can be set once per process), and expects none.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = r"""
import json, sys, tempfile
from pathlib import Path
from opentelemetry import _logs, metrics, trace

used = []

# Real providers as an SDK would install (FastAPI skips the API's no-op ones), recording use.
class Tracers(trace.TracerProvider):
    def get_tracer(self, *args, **kwargs):
        used.append("tracer")
        return trace.NoOpTracer()

class Meters(metrics.MeterProvider):
    def get_meter(self, *args, **kwargs):
        used.append("meter")
        return metrics.NoOpMeter("recording")

class Loggers(_logs.LoggerProvider):
    def get_logger(self, *args, **kwargs):
        used.append("logger")
        return _logs.NoOpLogger("recording")

trace.set_tracer_provider(Tracers())
metrics.set_meter_provider(Meters())
_logs.set_logger_provider(Loggers())

from fastapi.testclient import TestClient
from steadymind.core.clock import FrozenClock
from steadymind.db.engine import Database, make_engine
from steadymind.db.migrate import upgrade
from steadymind.features import build_runtime
from steadymind.http.app import create_app
from steadymind.screen import TextSeam
from tests.conftest import fast_settings
from tests.support import FakeEmotions, FakeGate

data = Path(tempfile.mkdtemp())
settings = fast_settings(data)
engine = make_engine(settings.resolved_database_url)
upgrade(engine)
seam = TextSeam(FakeGate(), FakeEmotions(), FrozenClock())
app = create_app(build_runtime(settings, db=Database(engine), seam=seam, clock=FrozenClock()))
with TestClient(app, raise_server_exceptions=False) as client:
    statuses = [
        client.get("/api/v1/health").status_code,
        client.post("/api/v1/auth/signup", json={"username": "x"}).status_code,
        client.get("/login").status_code,
    ]
print(json.dumps({"used": used, "statuses": statuses}))
"""


def test_no_request_reaches_an_opentelemetry_provider_or_exporter(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("STEADYMIND_", "OTEL_"))},
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
        # What would make FastAPI add OTLP exporters of its own (TEST-NET-1: never routed).
        "FASTAPI_OTEL_AUTO_CONFIGURE": "true",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://192.0.2.1:4318",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["statuses"] == [200, 422, 200]
    assert report["used"] == []
