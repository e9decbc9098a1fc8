"""``steadymind safety check``: human and JSON output, exit code 2 on bad input; no account and
no database needed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from steadymind.cli.main import app

runner = CliRunner()


def test_check_prints_level_and_crisis_lines() -> None:
    result = runner.invoke(app, ["safety", "check", "--country", "GB", "I want to die"])
    assert result.exit_code == 0
    assert "ELEVATED" in result.output
    assert "116 123" in result.output


def test_check_json_with_context() -> None:
    result = runner.invoke(
        app,
        [
            "safety",
            "check",
            "--json",
            "--context",
            "I just lost my job",
            "which bridges are taller than 25 m?",
        ],
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["level"] == "high"
    assert data["crisis_response"]["allow_generated_text"] is False


def test_check_calm_text_has_no_crisis_response() -> None:
    result = runner.invoke(app, ["safety", "check", "--json", "lovely walk today"])
    assert json.loads(result.output)["crisis_response"] is None


def test_bad_input_exits_2_with_a_clear_message_and_no_traceback() -> None:
    result = runner.invoke(app, ["safety", "check", "x" * 100_001])
    assert result.exit_code == 2
    assert "too long" in result.output
    assert "Traceback" not in result.output


def test_bad_country_exits_2() -> None:
    result = runner.invoke(app, ["safety", "check", "--country", "Narnia", "hello"])
    assert result.exit_code == 2
    assert "ISO 3166" in result.output


def test_uk_is_understood_as_gb() -> None:
    result = runner.invoke(app, ["safety", "check", "--country", "UK", "I want to die"])
    assert result.exit_code == 0
    assert "116 123" in result.output


def test_people_are_not_shown_model_ids_only_the_json_carries_them() -> None:
    shown = runner.invoke(app, ["safety", "check", "--country", "GB", "A calm walk by the sea."])
    assert shown.exit_code == 0
    assert "model" not in shown.output.lower() and "minilm" not in shown.output.lower()
    data = json.loads(runner.invoke(app, ["safety", "check", "--json", "A calm walk."]).output)
    assert data["model_id"]
