"""``steadymind import daylio``, ``steadymind insights --json``, ``steadymind assess score`` and
``steadymind warning``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")
PASSWORD = "a quiet lake at dawn"
FIXTURES = Path(__file__).parents[2] / "fixtures" / "insights"


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
    created = runner.invoke(app, ["user", "create", "alice", "--timezone", "Europe/Berlin"])
    assert created.exit_code == 0, created.output
    return runner


def test_import_daylio_asks_for_a_custom_mood_once(cli: CliRunner) -> None:
    path = str(FIXTURES / "daylio_en.csv")
    result = cli.invoke(app, ["import", "daylio", path, "--mood", "sleepy=-1"])
    assert result.exit_code == 0, result.output
    assert "Imported 6 check-ins." in result.output
    again = cli.invoke(app, ["import", "daylio", path, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output) == {"added": 0, "skipped": 6}


def test_import_daylio_without_a_place_for_a_custom_mood_says_which(cli: CliRunner) -> None:
    result = cli.invoke(app, ["import", "daylio", str(FIXTURES / "daylio_en.csv")])
    assert result.exit_code != 0
    assert "sleepy" in result.output


def test_import_daylio_names_the_bad_line(cli: CliRunner) -> None:
    result = cli.invoke(app, ["import", "daylio", str(FIXTURES / "daylio_bad_row.csv")])
    assert result.exit_code != 0
    assert "Line 4" in result.output


def test_import_csv_with_a_mapping(cli: CliRunner) -> None:
    result = cli.invoke(
        app,
        ["import", "checkins", str(FIXTURES / "bearable.csv"), "--mapping",
         str(FIXTURES / "bearable_mapping.toml")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Imported 3 check-ins." in result.output


def test_insights_json_has_the_documented_shape(cli: CliRunner) -> None:
    cli.invoke(app, ["import", "daylio", str(FIXTURES / "daylio_en.csv"), "--mood", "sleepy=-1"])
    result = cli.invoke(app, ["insights", "--json", "--days", "30"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["findings"] == [] and not out["enough"]  # six days: nothing is said
    assert "at least 28 days" in out["message"]


def test_assess_score_prints_total_and_band(cli: CliRunner) -> None:
    result = cli.invoke(app, ["assess", "score", "phq9", "0,1,2,0,1,0,0,1,0", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "instrument": "phq9", "total": 5, "band": "mild", "most": 27,
    }  # fmt: skip


def test_assess_score_with_item_9_shows_the_safety_step(cli: CliRunner) -> None:
    result = cli.invoke(app, ["assess", "score", "phq9", "0,0,0,0,0,0,0,0,1"])
    assert result.exit_code == 0, result.output
    assert "PHQ-9: 1 of 27, minimal." in result.output
    assert "Can I ask you something?" in result.output  # the question first
    assert "alone" in result.output  # then the crisis response (no one to answer here)


def test_assess_score_refuses_a_wrong_count(cli: CliRunner) -> None:
    result = cli.invoke(app, ["assess", "score", "gad7", "0,1,2"])
    assert result.exit_code != 0
    assert "GAD-7 has 7 questions" in result.output


def test_take_and_history(cli: CliRunner) -> None:
    taken = cli.invoke(app, ["assess", "take", "gad7", "--answers", "1,1,1,1,1,1,1"])
    assert taken.exit_code == 0, taken.output
    history = cli.invoke(app, ["assess", "history", "gad7", "--json"])
    assert [r["total"] for r in json.loads(history.output)] == [7]


def test_a_warning_rule_is_set_and_listed(cli: CliRunner) -> None:
    added = cli.invoke(app, ["warning", "add", "mood_falling", "--days", "5"])
    assert added.exit_code == 0, added.output
    assert "Mood falling 5 days running" in added.output
    listed = cli.invoke(app, ["warning", "list", "--json"])
    (rule,) = json.loads(listed.output)
    assert rule["title"] == "Mood falling 5 days running" and rule["fires"] is False
