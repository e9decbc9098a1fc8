"""``steadymind affect text``: readings for ordinary text; for a crisis text the crisis response
and no reading (the text seam runs first)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from steadymind.cli.main import app

runner = CliRunner()
CRISIS = "I am going to end my life tonight"
TABLE_TITLE = "Feelings in each text"


def test_json_output_has_one_reading_per_text() -> None:
    result = runner.invoke(app, ["affect", "text", "--json", "thank you so much!", "I'm scared"])
    assert result.exit_code == 0, result.output
    readings = json.loads(result.stdout)
    assert len(readings) == 2
    assert "gratitude" in readings[0]["reading"]["labels"]
    assert readings[0]["reading"]["model_id"].startswith("emotions-minilm-l4-goemo-v2+")
    assert readings[0]["gate"]["stops_flow"] is False


def test_table_output_for_people() -> None:
    result = runner.invoke(app, ["affect", "text", "I love this!"])
    assert result.exit_code == 0, result.output
    assert "loving" in result.stdout
    assert "pleasant" in result.stdout and "energy" in result.stdout


def test_the_table_names_feelings_in_words_and_no_model() -> None:
    """People see the picker's words; the model's labels and its id stay in --json."""
    result = runner.invoke(
        app,
        ["affect", "text", "thank you so much!", "I agree, that's right"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "grateful" in result.stdout
    assert "gratitude" not in result.stdout and "approval" not in result.stdout
    assert "emotions-minilm" not in result.stdout and "goemo" not in result.stdout
    assert "valence" not in result.stdout and "arousal" not in result.stdout


def test_a_crisis_text_shows_the_crisis_response_and_no_reading() -> None:
    result = runner.invoke(app, ["affect", "text", "--country", "GB", CRISIS])
    assert result.exit_code == 4, result.output
    assert "999" in result.stdout  # the emergency number, from the crisis response
    assert "116 123" in result.stdout
    assert TABLE_TITLE not in result.stdout  # no emotion table


def test_a_crisis_text_in_json_has_the_crisis_response_and_no_reading() -> None:
    result = runner.invoke(app, ["affect", "text", "--json", "what a lovely day", CRISIS])
    assert result.exit_code == 4, result.output
    calm, crisis = json.loads(result.stdout)
    assert calm["reading"] is not None
    assert crisis["reading"] is None
    assert crisis["gate"]["level"] == "high"
    assert crisis["gate"]["crisis"]["allow_generated_text"] is False


def test_reads_stdin_when_no_text_is_given() -> None:
    result = runner.invoke(
        app, ["affect", "text", "--json"], input="I am so annoyed at my brother right now\n"
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 1


def test_invalid_utf8_on_stdin_is_a_clear_error() -> None:
    result = runner.invoke(app, ["affect", "text"], input=b"caf\xe9 \xff\xfe")
    assert result.exit_code == 2
    assert "not valid UTF-8" in result.stderr
    assert "Traceback" not in result.output


def test_empty_stdin_is_a_clear_error() -> None:
    result = runner.invoke(app, ["affect", "text"], input="   \n")
    assert result.exit_code == 2
    assert "Text is empty" in result.stderr


def test_long_and_wordless_texts_are_flagged_in_the_table() -> None:
    result = runner.invoke(
        app,
        ["affect", "text", "word " * 2000, "12345 67890 !!!"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "only the beginning" in result.stdout
    assert "low confidence" in result.stdout
