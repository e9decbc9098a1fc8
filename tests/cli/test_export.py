"""``steadymind export`` writes what the file's name says and never overwrites by surprise
(issue 12, item 15)."""

from __future__ import annotations

import csv
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")


@pytest.fixture
def written(cli: CliRunner) -> CliRunner:
    """Alice, with a check-in and a journal entry."""
    assert cli.invoke(app, ["user", "create", "alice"]).exit_code == 0
    cli.invoke(app, ["checkin", "--mood", "2", "--energy", "0", "--note", "a slow walk"])
    cli.invoke(app, ["journal", "add", "--title", "Sea", "--file", "-"], input="A calm swim.\n")
    return cli


def test_one_table_as_csv_is_a_csv_file(written: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "journal.csv"
    result = written.invoke(
        app, ["export", "--format", "csv", "--table", "journal", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert not zipfile.is_zipfile(out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["title"] for r in rows] == ["Sea"]
    assert "analysis" not in rows[0] and "safety_level" in rows[0]


def test_several_tables_in_a_file_named_csv_is_refused_with_what_works(
    written: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "x.csv"
    result = written.invoke(app, ["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
    said = " ".join(result.output.split())
    assert "x.zip" in said and "--table journal" in said


def test_all_tables_go_to_a_zip_named_zip(written: CliRunner, tmp_path: Path) -> None:
    for args in (["--format", "csv", "--output"], ["--output"]):  # the name says zip
        out = tmp_path / f"all{len(args)}.zip"
        result = written.invoke(app, ["export", *args, str(out)])
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(out) as archive:
            assert {"account.csv", "checkins.csv", "journal.csv"} <= set(archive.namelist())


def test_a_name_that_says_another_format_is_refused(written: CliRunner, tmp_path: Path) -> None:
    result = written.invoke(
        app, ["export", "--format", "json", "--output", str(tmp_path / "a.csv")]
    )
    assert result.exit_code == 2
    assert "a.json" in " ".join(result.output.split())
    result = written.invoke(
        app,
        ["export", "--format", "csv", "--table", "journal", "--output", str(tmp_path / "j.zip")],
    )
    assert result.exit_code == 2
    assert not (tmp_path / "a.csv").exists() and not (tmp_path / "j.zip").exists()


def test_an_unknown_table_names_the_tables(written: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "moods.csv"
    result = written.invoke(app, ["export", "--table", "moods", "--output", str(out)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "There is no table called moods. The tables are account, assessments, checkins," in said
    assert "journal" in said
    assert not out.exists()


def test_an_existing_file_is_kept_unless_forced(written: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    out.write_text("my old notes")
    result = written.invoke(app, ["export", "--output", str(out)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert f"There is already a file {out}: add --force" in said
    assert out.read_text() == "my old notes"
    result = written.invoke(app, ["export", "--output", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["journal"][0]["title"] == "Sea"


def test_the_export_file_is_readable_by_its_owner_only(written: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert written.invoke(app, ["export", "--output", str(out)]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert written.invoke(app, ["export", "--output", str(out), "--force"]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_one_table_to_stdout(written: CliRunner) -> None:
    result = written.invoke(app, ["export", "--format", "csv", "--table", "checkins"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("id,") and "a slow walk" in result.stdout
