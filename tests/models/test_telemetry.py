"""No telemetry: loading every shipped model and serving requests leaves nothing in ``HOME`` and
tries to reach no one.

onnxruntime (1.2x and later, Linux too) starts Microsoft's 1DS telemetry when its library loads:
it writes a device id and an event store to ``~/.cache/Microsoft/DeveloperTools/.onnxruntime/``
and, about nine seconds later, resolves ``mobile.events.data.microsoft.com`` from native code.
``onnxruntime.disable_telemetry_events()`` comes too late for either; only the environment
variable ``ORT_DISABLE_TELEMETRY`` read as the library loads stops them (steadymind.models).

The child process (telemetry_child.py) runs under a fresh, empty ``HOME``. Python's audit hooks
see Python sockets only, so a second test traces the child's system calls with strace, where
the native DNS lookup shows, and stays alive long enough for the uploader's first attempt.
"""

from __future__ import annotations

import ast
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

CHILD = Path(__file__).with_name("telemetry_child.py")
# The 1DS uploader's first attempt came 9 s after the library loaded (measured with strace -ttt
# on onnxruntime 1.31.1); the traced child stays alive well past that.
WATCH_SECONDS = 15.0
STRACE = shutil.which("strace")


def _run_child(tmp_path: Path, *, seconds: float, prefix: Sequence[str] = ()) -> dict[str, Any]:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # This checkout's package, whatever the environment says.
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
    }
    result = subprocess.run(
        [*prefix, sys.executable, str(CHILD), str(tmp_path / "data"), str(seconds)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    report["home"] = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    return report


def test_every_model_loads_and_serves_with_no_telemetry_store_and_no_python_socket(
    tmp_path: Path,
) -> None:
    report = _run_child(tmp_path, seconds=0)
    assert {"emotions/model", "safety/model"} <= set(report["models"])
    # onnxruntime's store (~/.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db) and
    # anything else: serving one person writes nothing to their home directory.
    assert report["home"] == []
    assert report["attempts"] == []


# A connect or a datagram to anything but loopback, or a name lookup through nscd or resolved.
_INET = re.compile(r'(?:connect|sendto|sendmsg)\(.*sa_family=AF_INET6?.*?"([0-9a-fA-F.:]+)"')
_RESOLVER = re.compile(r'connect\(.*sun_path="[^"]*(?:nscd|resolve)[^"]*"')


def _outbound(trace: str) -> list[str]:
    found = []
    for line in trace.splitlines():
        inet = _INET.search(line)
        remote = inet is not None and not ipaddress.ip_address(inet.group(1)).is_loopback
        if remote or _RESOLVER.search(line):
            found.append(line.strip())
    return found


def test_the_outbound_detector_sees_what_onnxruntime_did() -> None:
    # Lines as strace printed them when onnxruntime's telemetry was on (the case to catch).
    seen = [
        '27474 connect(7, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '27474 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")'
        "}, 16) = 0",
        "1 connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton"
        '(AF_INET6, "2603:1030::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
    ]
    local = [
        '1 connect(5, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, '
        "16) = 0",
        '1 connect(5, {sa_family=AF_UNIX, sun_path="/tmp/x/.s.PGSQL.5432"}, 110) = 0',
    ]
    assert len(_outbound("\n".join(seen + local))) == len(seen)


@pytest.mark.slow
@pytest.mark.skipif(STRACE is None, reason="strace not installed (apt-get install strace)")
def test_no_process_of_the_app_tries_the_network_even_from_native_code(tmp_path: Path) -> None:
    trace = tmp_path / "strace.txt"
    prefix = [str(STRACE), "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace)]
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.strip()[:200]}")
    report = _run_child(tmp_path, seconds=WATCH_SECONDS, prefix=prefix)
    assert _outbound(trace.read_text()) == []
    assert report["home"] == []


ROOT = Path(__file__).resolve().parents[2]


def _imports(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module:
        return [node.module]
    return []


def _late_onnxruntime_imports(path: Path) -> list[str]:
    """Imports of onnxruntime not preceded, in their own scope, by one of steadymind.models."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    late = []
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
        safe = False
        for statement in scope.body:
            for name in _imports(statement):
                if name == "steadymind.models" or name.startswith("steadymind.models."):
                    safe = True
                elif name.split(".")[0] == "onnxruntime" and not safe:
                    late.append(f"{path.relative_to(ROOT)}:{statement.lineno}")
    return late


def test_onnxruntime_is_imported_only_where_its_telemetry_is_already_off() -> None:
    runtime = ROOT / "src" / "steadymind"
    files = [*runtime.rglob("*.py"), *(ROOT / "training").rglob("*.py")]
    files += [*(ROOT / "bench").rglob("*.py")]
    late = [
        where
        for path in files
        if (runtime / "models") not in path.parents
        for where in _late_onnxruntime_imports(path)
    ]
    assert late == []
