"""Ask before alarming in the terminal: the question with the lines beside it; answered at a
terminal, kept with the note; with no terminal to answer, everything is shown."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")
AMBIGUOUS = "I don't want to be here anymore"
WIDE = {"COLUMNS": "200"}  # one line per sentence in the panels


@pytest.fixture
def alice(cli: CliRunner) -> CliRunner:
    assert cli.invoke(app, ["user", "create", "alice", "--country", "GB"]).exit_code == 0
    return cli


def test_with_no_terminal_to_answer_the_question_and_the_lines_are_both_shown(
    alice: CliRunner,
) -> None:
    result = alice.invoke(app, ["checkin", "--mood", "-3", "--note", AMBIGUOUS], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "Are you having thoughts like that?" in result.output
    assert "116 123" in result.output and "may hold" not in result.output


def test_an_answer_at_the_terminal_is_kept_with_the_note(
    alice: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("steadymind.ui.cli.interactive", lambda: True)
    result = alice.invoke(
        app, ["checkin", "--mood", "-3", "--note", AMBIGUOUS], input="no\n", env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "Thank you for answering" in result.output
    exported = json.loads(alice.invoke(app, ["export"]).stdout)
    (checkin,) = exported["checkins"]
    assert checkin["analysis"]["answer"]["value"] == "no"


def test_yes_at_the_terminal_shows_the_crisis_response(
    alice: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("steadymind.ui.cli.interactive", lambda: True)
    result = alice.invoke(
        app, ["checkin", "--mood", "-3", "--note", AMBIGUOUS], input="yes\n", env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "You don't have to go through this alone" in result.output
    assert "116 123" in result.output
