"""What the companion remembers, seen and changed in the terminal as on the Memory page:
``/memory`` numbers the items, ``/edit N TEXT`` rewrites one (the words pass the safety check),
``/forget N`` deletes one."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from steadymind.features.companion.consent import CONSENT_VERSION
from tests.support import FAKE_HIGH, PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")


def _chat(cli: CliRunner, lines: list[str]) -> str:
    result = cli.invoke(
        app,
        ["chat", "--consent", CONSENT_VERSION],
        input="\n".join(lines) + "\n",
        env={"COLUMNS": "200"},
    )
    assert result.exit_code in (0, 4), result.output
    return result.output


@pytest.fixture
def talking(cli: CliRunner) -> CliRunner:
    assert cli.invoke(app, ["user", "create", "alice", "--country", "GB"]).exit_code == 0
    assert cli.invoke(app, ["user", "ai", "companion"]).exit_code == 0
    return cli


def test_memory_is_listed_edited_and_forgotten_in_the_terminal(talking: CliRunner) -> None:
    said = _chat(
        talking,
        ["remember that my sister is called Ana", "remember that walks help me", "/memory"],
    )
    assert "1. my sister is called Ana" in said or "1. walks help me" in said
    listed = _chat(talking, ["/memory"])
    first = "my sister is called Ana" if "1. my sister is called Ana" in listed else "walks help me"
    changed = _chat(talking, ["/edit 1 my sister Ana lives in Leeds", "/memory"])
    assert "Changed." in changed and "my sister Ana lives in Leeds" in changed
    assert first not in changed.split("Changed.")[1]
    gone = _chat(talking, ["/forget 2", "/memory"])
    assert "Forgotten." in gone
    assert gone.count(". ") >= 1 and "2. " not in gone.split("Forgotten.")[1]


def test_a_wrong_number_is_asked_about_and_changes_nothing(talking: CliRunner) -> None:
    said = _chat(talking, ["remember that walks help me", "/forget 7", "/memory"])
    assert "Which item? Give its number from /memory (1 to 1)." in said
    assert "1. walks help me" in said


def test_edited_words_pass_the_safety_check(talking: CliRunner) -> None:
    said = _chat(talking, ["remember that walks help me", f"/edit 1 {FAKE_HIGH}", "/memory"])
    assert "Changed." not in said
    assert "1. walks help me" in said
