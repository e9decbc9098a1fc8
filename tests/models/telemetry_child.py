"""Run by tests/models/test_telemetry.py in a fresh process under a fresh, empty ``HOME``: load
every shipped model, then serve a sign-up and a check-in through the app with the shipped crisis
gate and emotion model, then (optionally) stay alive for a while. Prints one JSON line: every
network attempt that Python code made to anything but loopback (audit hooks see Python sockets
only; the test traces native code with strace when it can).

Usage: ``python telemetry_child.py <data_dir> <seconds to stay alive>``
"""

from __future__ import annotations

import ipaddress
import json
import sys
import time
from typing import Any

attempts: list[str] = []
LOCAL_NAMES = {"localhost", "testserver", "127.0.0.1", "::1"}


def _is_local(host: object) -> bool:
    if not isinstance(host, str | bytes):
        return True  # AF_UNIX paths and the like: not the network
    name = host.decode() if isinstance(host, bytes) else host
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: resolving it is already an outbound attempt


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.getaddrinfo" and not _is_local(args[0]):
        attempts.append(f"{event} {args[0]!r}")
    elif event in {"socket.connect", "socket.sendto"}:
        address = args[1] if len(args) > 1 else None
        host = address[0] if isinstance(address, tuple) and address else address
        if not _is_local(host):
            attempts.append(f"{event} {address!r}")


sys.addaudithook(_audit)


def load_every_model() -> list[str]:
    """A session for every ONNX file of every shipped model, through the one session factory."""
    from steadymind.models import ARTEFACTS, onnx
    from steadymind.models.manifest import MANIFEST_FILE, load_artefact

    loaded = []
    for folder in sorted(p for p in ARTEFACTS.iterdir() if (p / MANIFEST_FILE).is_file()):
        artefact = load_artefact(folder)  # verifies every sha256
        for role, entry in artefact.manifest.files.items():
            if entry.path.endswith(".onnx"):
                onnx.session(artefact.path(role), what=f"{folder.name}/{role}")
                loaded.append(f"{folder.name}/{role}")
    return loaded


def serve(data_dir: str) -> None:
    """What `steadymind serve` does with a request: the shipped gate and emotion model read it."""
    from pathlib import Path

    from fastapi.testclient import TestClient

    from steadymind.core.clock import SystemClock
    from steadymind.core.config import Settings
    from steadymind.db.engine import Database, make_engine
    from steadymind.db.migrate import upgrade
    from steadymind.features import build_runtime
    from steadymind.http.app import create_app
    from steadymind.screen import shipped_seam

    settings = Settings(
        data_dir=Path(data_dir),
        argon2_time_cost=1,
        argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
    )
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    seam = shipped_seam(SystemClock())
    seam.warm_up()
    runtime = build_runtime(settings, db=Database(engine), seam=seam)
    with TestClient(create_app(runtime), base_url="http://testserver") as client:
        signed = client.post(
            "/api/v1/auth/signup", json={"username": "zoe", "password": "a calm lake at dawn"}
        )
        assert signed.status_code == 201, signed.text
        headers = {"Authorization": f"Bearer {signed.json()['token']}"}
        made = client.post(
            "/api/v1/checkins",
            json={"mood": 2, "energy": 1, "note": "a quiet walk by the river"},
            headers=headers,
        )
        assert made.status_code == 201, made.text
        assert client.get("/login").status_code == 200


if __name__ == "__main__":
    models = load_every_model()
    serve(sys.argv[1])
    time.sleep(float(sys.argv[2]))
    print(json.dumps({"models": models, "attempts": attempts}))
