"""``steadymind checkin``: a time for a missed day, clear messages for a wrong time or word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.affect.vocabulary import QUADRANTS
from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")
PASSWORD = "a quiet lake at dawn"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A fresh data directory with Alice (in Tokyo) signed up, cheap Argon2."""
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
    created = runner.invoke(app, ["user", "create", "alice", "--timezone", "Asia/Tokyo"])
    assert created.exit_code == 0, created.output
    return runner


def exported(cli: CliRunner, tmp_path: Path) -> list[dict[str, object]]:
    out = tmp_path / "export.json"
    assert cli.invoke(app, ["export", "--output", str(out)]).exit_code == 0
    return list(json.loads(out.read_text())["checkins"])


def test_a_missed_day_is_logged_at_a_time_in_the_persons_zone(
    cli: CliRunner, tmp_path: Path
) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "2", "--at", "2025-06-01 21:30"])
    assert result.exit_code == 0, result.output
    assert "Sun 01 Jun, 21:30" in result.output
    (item,) = exported(cli, tmp_path)
    assert item["at"] == "2025-06-01T12:30:00Z"  # 21:30 in Tokyo
    assert item["tz"] == "Asia/Tokyo"


def test_the_saved_checkin_is_told_in_words(cli: CliRunner) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "3", "--energy", "-1"])
    assert result.exit_code == 0, result.output
    assert "mood +3 (quite good), energy -1 (slightly low)" in result.output


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("9999-12-31T23:00:00-14:00", "That date is outside the range a check-in can have."),
        ("1850-01-01 09:00", "That date is outside the range a check-in can have."),
        ("2999-01-01 09:00", "The date is in the future: a check-in can be at most a day ahead"),
        ("next tuesday", "Please give --at as a date and time, for example 2026-03-01 21:30"),
    ],
)
def test_a_wrong_time_is_one_clear_line(cli: CliRunner, at: str, message: str) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "1", "--at", at])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_word_that_is_not_a_feeling_lists_the_words_by_group(cli: CliRunner) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "1", "--emotion", "calm", "--emotion", "hangry"])
    assert result.exit_code == 2, result.output
    assert "'hangry' is not one of the feeling words" in result.output
    lines = result.output.splitlines()
    for quadrant in QUADRANTS:
        line = next(line for line in lines if quadrant.title in line)
        assert quadrant.words[0] in line
    assert "approval" not in result.output


def test_a_model_label_is_saved_as_its_word(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "1", "--emotion", "gratitude"])
    assert result.exit_code == 0, result.output
    assert exported(cli, tmp_path)[0]["emotions"] == ["grateful"]


def test_an_empty_tag_is_refused(cli: CliRunner) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "1", "--tag", "   "])
    assert result.exit_code == 2, result.output
    assert "A tag can be 1 to 40 characters." in result.output
