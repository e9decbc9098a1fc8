from __future__ import annotations

import json

from typer.testing import CliRunner

from steadymind.cli.affect import affect_app

runner = CliRunner()


def test_json_output_has_one_reading_per_text() -> None:
    result = runner.invoke(affect_app, ["text", "--json", "thank you so much!", "I'm scared"])
    assert result.exit_code == 0, result.output
    readings = json.loads(result.stdout)
    assert len(readings) == 2
    assert "gratitude" in readings[0]["labels"]
    assert readings[0]["model_id"].startswith("emotions-minilm-l4-goemo-v2+")


def test_table_output_for_people() -> None:
    result = runner.invoke(affect_app, ["text", "I love this!"])
    assert result.exit_code == 0, result.output
    assert "love" in result.stdout
    assert "valence" in result.stdout


def test_reads_stdin_when_no_text_is_given() -> None:
    result = runner.invoke(affect_app, ["text", "--json"], input="I am so angry right now\n")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 1


def test_invalid_utf8_on_stdin_is_a_clear_error() -> None:
    result = runner.invoke(affect_app, ["text"], input=b"caf\xe9 \xff\xfe")
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.stderr
    assert "Traceback" not in result.output


def test_empty_stdin_is_a_clear_error() -> None:
    result = runner.invoke(affect_app, ["text"], input="   \n")
    assert result.exit_code == 2
    assert "text is empty" in result.stderr


def test_long_and_foreign_texts_are_flagged_in_the_table() -> None:
    result = runner.invoke(
        affect_app,
        ["text", "word " * 2000, "Je suis très fatigué aujourd'hui mais content quand même"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "only the beginning" in result.stdout
    assert "low confidence" in result.stdout
