"""``steadymind import apple-health FILE`` and ``steadymind wearables days|samples``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.features.wearables.synth import HEAD, TAIL, apple_export
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")


def test_import_prints_what_was_added_and_a_re_import_adds_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    export = apple_export(tmp_path / "export.xml", days=3)
    first = cli.invoke(app, ["import", "apple-health", str(export)])
    assert first.exit_code == 0, first.output
    assert "Imported" in first.output and "(0 were there already)" in first.output
    again = cli.invoke(app, ["import", "apple-health", str(export), "--json"])
    summary = json.loads(again.output)
    assert summary["added"] == 0 and summary["duplicates"] > 0


def test_a_bad_record_is_printed_with_its_line(cli: CliRunner, tmp_path: Path) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    bad = (
        ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="x" startDate="soon"'
        ' endDate="later" value="3"/>\n'
    )
    export = tmp_path / "export.xml"
    export.write_text(HEAD + bad + TAIL)
    result = cli.invoke(app, ["import", "apple-health", str(export)])
    assert result.exit_code == 0, result.output
    assert (
        f"line {HEAD.count(chr(10)) + 1}: a record with a date that cannot be read" in result.output
    )


def test_a_missing_file_is_one_line(cli: CliRunner, tmp_path: Path) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    result = cli.invoke(app, ["import", "fit", str(tmp_path / "nothing.fit")])
    assert result.exit_code != 0 and "There is no file" in result.output
    assert "Traceback" not in result.output


def test_every_importer_has_a_command_beside_other_features_imports(cli: CliRunner) -> None:
    result = cli.invoke(app, ["import", "--help"])
    for name in ("apple-health", "fit", "csv", "fitbit", "oura"):
        assert name in result.output


def test_days_and_the_choice_of_samples(cli: CliRunner, tmp_path: Path) -> None:
    cli.invoke(app, ["user", "create", "alice"])
    result = cli.invoke(app, ["wearables", "days"])
    assert "Nothing imported" in result.output
    result = cli.invoke(app, ["wearables", "samples"])
    assert result.exit_code == 0 and "Samples are kept" in result.output
    result = cli.invoke(app, ["wearables", "samples", "--daily-only"])
    assert result.exit_code == 0 and "Only daily numbers" in result.output
