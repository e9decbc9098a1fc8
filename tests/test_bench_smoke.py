"""The journal benchmark still runs (it broke once, silently, when Argon2's floor was enforced):
a tiny run in a subprocess, as `make bench-journal` runs it. Figures are the bench's job, not
this test's; it checks only that the bench gets to its report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import PG_URL

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(bool(PG_URL), reason="runs on SQLite in its own folder")
def test_the_journal_bench_runs_to_its_report() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_journal.py"),
            "--entries",
            "20",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "baseline: decrypt every entry" in done.stdout
