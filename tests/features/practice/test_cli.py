"""``steadymind practice`` and ``steadymind biofeedback``: the shapes later checks rely on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import soundfile
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("STEADYMIND_DATABASE_URL", raising=False)
    monkeypatch.delenv("STEADYMIND_CONFIG", raising=False)
    return CliRunner()


def test_practice_list_json_gives_id_title_minutes(cli: CliRunner) -> None:
    result = cli.invoke(app, ["practice", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) >= 12 and all(set(r) == {"id", "title", "minutes"} for r in rows)
    assert {"id": "resonance", "title": "Resonance breathing", "minutes": 10} in rows


def test_practice_show_names_the_evidence_and_the_cautions(cli: CliRunner) -> None:
    result = cli.invoke(app, ["practice", "show", "four-seven-eight"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Evidence" in result.output and "Take care" in result.output and "hold" in result.output
    missing = cli.invoke(app, ["practice", "show", "flying"])
    assert missing.exit_code == 2 and "practice list" in missing.output


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng: installed by .ci/run")
def test_practice_render_writes_about_n_minutes_of_speech(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "calm.ogg"
    args = ["practice", "render", "physiological-sigh", "--minutes", "1", "--output", str(out)]
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert soundfile.info(str(out)).duration == pytest.approx(61, abs=2)
    assert "LUFS" in result.output
    again = cli.invoke(app, [*args[:-1], str(tmp_path / "again.ogg")])
    assert "from the cache" in again.output


def test_practice_render_refuses_other_formats_before_speaking(
    cli: CliRunner, tmp_path: Path
) -> None:
    args = ["practice", "render", "noting", "--minutes", "2", "--output", str(tmp_path / "x.mp3")]
    result = cli.invoke(app, args)
    assert result.exit_code == 2 and ".wav or .ogg" in result.output


def test_biofeedback_analyse_a_simulated_scan(cli: CliRunner, tmp_path: Path) -> None:
    rr = tmp_path / "scan.txt"
    made = ["biofeedback", "simulate", "--scan", "--resonance", "5.0", "--seed", "4"]
    assert cli.invoke(app, [*made, "--output", str(rr)]).exit_code == 0
    result = cli.invoke(app, ["biofeedback", "analyse", str(rr), "--scan", "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {"mean_hr_bpm", "rmssd_ms", "sdnn_ms", "resonance_bpm"} <= set(found)
    assert abs(found["resonance_bpm"] - 5.0) <= 0.5
    plain = cli.invoke(app, ["biofeedback", "analyse", str(rr)])
    assert "RMSSD" in plain.output and "resonance" not in plain.output


def test_biofeedback_analyse_reads_a_csv_column(cli: CliRunner, tmp_path: Path) -> None:
    rr = tmp_path / "rr.csv"
    rr.write_text("rr_ms\n" + "\n".join(["800", "820", "790", "810"] * 10), encoding="utf-8")
    result = cli.invoke(app, ["biofeedback", "analyse", str(rr), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mean_hr_bpm"] == pytest.approx(74.5, abs=0.5)
