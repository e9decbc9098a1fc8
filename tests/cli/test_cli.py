"""The steadymind command: db upgrade, user create, checkin, journal add/list/show, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")


def test_commands_refuse_an_unmigrated_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(tmp_path / "fresh"))
    result = CliRunner().invoke(app, ["user", "create", "alice"])
    assert result.exit_code == 1
    assert "steadymind db upgrade" in result.output


def test_user_create_shows_the_recovery_key(cli: CliRunner) -> None:
    result = cli.invoke(app, ["user", "create", "alice", "--country", "GB"])
    assert result.exit_code == 0, result.output
    assert "Recovery key" in result.output


def test_user_create_rejects_a_common_password(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEADYMIND_PASSWORD", "password123")
    result = cli.invoke(app, ["user", "create", "alice"])
    assert result.exit_code == 2
    assert "common" in result.output
    assert "Traceback" not in result.output


def test_checkin_journal_and_export_round_trip(cli: CliRunner, tmp_path: Path) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    result = cli.invoke(
        app,
        [
            "checkin",
            "--mood",
            "3",
            "--energy",
            "-1",
            "--emotion",
            "relief",
            "--note",
            "a good walk",
        ],
    )
    assert result.exit_code == 0, result.output
    result = cli.invoke(
        app,
        ["journal", "add", "--title", "Evening", "--tag", "calm", "--file", "-"],
        input="Quiet *evening*.\n",
    )
    assert result.exit_code == 0, result.output
    entry_id = result.output.split("Saved journal entry ")[1].split()[0].rstrip(".")
    listed = cli.invoke(app, ["journal", "list", "--search", "quiet"])
    assert "Evening" in listed.output
    shown = cli.invoke(app, ["journal", "show", entry_id])
    assert "Quiet" in shown.output
    out = tmp_path / "export.json"
    assert cli.invoke(app, ["export", "--output", str(out)]).exit_code == 0
    data = json.loads(out.read_text())
    assert data["checkins"][0]["note"] == "a good walk"
    assert data["journal"][0]["title"] == "Evening"


def test_journal_add_names_the_feelings_the_entry_may_hold(cli: CliRunner) -> None:
    # As check-in does (and the web page of an entry): the emotion model's reading, in words of
    # the check-in vocabulary. A crisis entry gets the crisis response instead.
    cli.invoke(app, ["user", "create", "alice"])
    result = cli.invoke(
        app,
        ["journal", "add", "--file", "-"],
        input="I am so grateful for my friends, thank you all for the lovely birthday!\n",
    )
    assert result.exit_code == 0, result.output
    assert "Feelings your entry may hold:" in result.output
    assert "grateful" in result.output.split("may hold:")[1]


def test_wrong_password_is_a_clear_error(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    monkeypatch.setenv("STEADYMIND_PASSWORD", "not the password")
    result = cli.invoke(app, ["checkin", "--mood", "1"])
    assert result.exit_code == 2
    assert "Wrong username or password" in result.output


def test_out_of_range_mood_is_rejected(cli: CliRunner) -> None:
    result = cli.invoke(app, ["checkin", "--mood", "9"])
    assert result.exit_code == 2


def test_invalid_utf8_on_stdin_is_a_clear_error(cli: CliRunner) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    result = cli.invoke(app, ["journal", "add", "--file", "-"], input=b"\xff\xfe bad bytes")
    assert result.exit_code == 2
    assert "UTF-8" in result.output


def test_unknown_entry_is_not_found(cli: CliRunner) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    result = cli.invoke(app, ["journal", "show", "0" * 32])
    assert result.exit_code == 2
    assert "No such journal entry" in result.output


def test_a_full_disk_is_one_line_in_words(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    from steadymind.core.errors import DISK_FULL
    from steadymind.features.checkins.service import CheckInService
    from tests.core.test_errors import _sqlite_full

    cli.invoke(app, ["user", "create", "alice"])

    def full(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT INTO checkins ...", {}, _sqlite_full())

    monkeypatch.setattr(CheckInService, "create", full)
    result = cli.invoke(app, ["checkin", "--mood", "1"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {DISK_FULL}"]
