"""``steadymind habit ...`` and ``steadymind remind ...``: a habit with a reminder, a test
message that arrives at a loopback webhook and ntfy server, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.features.coach.loopback import loopback_server
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")
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
    assert (
        runner.invoke(app, ["user", "create", "alice", "--timezone", "Asia/Tokyo"]).exit_code == 0
    )
    return runner


def test_a_habit_with_a_reminder_and_a_test_through_webhook_and_ntfy(cli: CliRunner) -> None:
    added = cli.invoke(
        app, ["habit", "add", "ten minutes outside", "--days", "mon,wed,fri", "--at", "07:30"]
    )
    assert added.exit_code == 0, added.output
    assert "Monday" not in added.output and "Mon, Wed, Fri" in added.output
    habits = json.loads(cli.invoke(app, ["habit", "list", "--json"]).output)
    habit = habits[0]["id"]
    done = cli.invoke(app, ["habit", "done", habit[:6]])
    assert done.exit_code == 0 and "1 of" in done.output
    with loopback_server() as hook, loopback_server() as ntfy:
        made = cli.invoke(
            app,
            ["remind", "add", "07:30", "--habit", habit[:6], "--days", "mon,wed,fri",
             "--webhook", hook.url + "/in", "--ntfy", ntfy.url + "/alice", "--json"],
        )  # fmt: skip
        assert made.exit_code == 0, made.output
        reminder = json.loads(made.output)
        assert reminder["about"] == "habit" and len(reminder["channel_ids"]) == 3
        tested = cli.invoke(app, ["remind", "test"])
        assert tested.exit_code == 0, tested.output
        assert "webhook: sent." in tested.output and "ntfy: sent." in tested.output
    assert [r.json()["about"] for r in hook.received] == ["test"]
    assert [r.path for r in ntfy.received] == ["/alice"]
    listed = cli.invoke(app, ["remind", "list"])
    assert "habit" in listed.output and "webhook" in listed.output
    assert cli.invoke(app, ["remind", "remove", reminder["id"][:6]]).exit_code == 0
    assert json.loads(cli.invoke(app, ["remind", "list", "--json"]).output)["reminders"] == []


def test_a_channel_that_is_down_fails_the_test_with_a_plain_reason(cli: CliRunner) -> None:
    with loopback_server() as hook:
        url = hook.url
    assert cli.invoke(app, ["remind", "add", "20:00", "--webhook", url]).exit_code == 0
    tested = cli.invoke(app, ["remind", "test"])
    assert tested.exit_code == 1
    assert "webhook: not sent (ConnectError)." in tested.output


def test_a_wrong_day_or_time_is_one_line(cli: CliRunner) -> None:
    wrong_day = cli.invoke(app, ["habit", "add", "stretch", "--days", "funday"])
    assert wrong_day.exit_code == 2 and "is not a day" in wrong_day.output
    wrong_time = cli.invoke(app, ["remind", "add", "25:00"])
    assert wrong_time.exit_code == 2 and "not a time of day" in wrong_time.output
