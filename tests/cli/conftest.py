"""The CLI tests' data directory: a fresh, migrated SQLite database per test, cheap Argon2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app

PASSWORD = "a quiet lake at dawn"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("STEADYMIND_INSECURE_ARGON2_FOR_TESTS", "true")
    monkeypatch.setenv("STEADYMIND_PASSWORD", PASSWORD)
    monkeypatch.setenv("STEADYMIND_USER", "alice")
    monkeypatch.delenv("STEADYMIND_DATABASE_URL", raising=False)
    monkeypatch.delenv("STEADYMIND_CONFIG", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner
