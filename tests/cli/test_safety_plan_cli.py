"""``steadymind safety plan show|edit``: the guided plan in the terminal, stored encrypted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from steadymind.safety import copy
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")

# One answer block per step, in order; an empty line ends a step.
GUIDED = "\n".join(
    [
        "can't sleep",
        "cancelling plans",
        "",
        "slow breathing",
        "",
        "the library",
        "",
        "Sam, 07700 900123, my sister",
        "Jo, lives next door",
        "",
        "",  # professionals: skipped
        "ask Sam to keep the car keys",
        "",
        "my dog Pepper",
        "",
    ]
)


def _show(cli: CliRunner) -> dict[str, object] | None:
    result = cli.invoke(app, ["safety", "plan", "show", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] | None = json.loads(result.output)
    return data


@pytest.fixture
def alice(cli: CliRunner) -> CliRunner:
    assert cli.invoke(app, ["user", "create", "alice", "--country", "GB"]).exit_code == 0
    return cli


def test_without_a_plan_show_invites_to_make_one(alice: CliRunner) -> None:
    assert _show(alice) is None
    result = alice.invoke(app, ["safety", "plan", "show"])
    assert result.exit_code == 0
    assert "steadymind safety plan edit" in result.output


def test_guided_edit_asks_every_step_and_saves_the_answers(alice: CliRunner) -> None:
    result = alice.invoke(app, ["safety", "plan", "edit"], input=GUIDED)
    assert result.exit_code == 0, result.output
    for step in copy.PLAN_STEPS.values():
        assert step["title"] in result.output
    plan = _show(alice)
    assert plan is not None
    assert plan["warning_signs"] == ["can't sleep", "cancelling plans"]
    assert plan["help_contacts"] == [
        {"name": "Sam", "phone": "07700 900123", "note": "my sister"},
        {"name": "Jo", "phone": "", "note": "lives next door"},
    ]
    assert plan["professionals"] == []
    assert plan["reasons_for_living"] == ["my dog Pepper"]


def test_enter_keeps_a_step_and_a_dash_empties_it(alice: CliRunner) -> None:
    alice.invoke(app, ["safety", "plan", "edit"], input=GUIDED)
    # keep steps 1-6, empty step 7
    answers = "\n" * 6 + "-\n"
    assert alice.invoke(app, ["safety", "plan", "edit"], input=answers).exit_code == 0
    plan = _show(alice)
    assert plan is not None
    assert plan["warning_signs"] == ["can't sleep", "cancelling plans"]
    assert plan["reasons_for_living"] == []


def test_edit_from_a_json_file_round_trips(alice: CliRunner, tmp_path: Path) -> None:
    alice.invoke(app, ["safety", "plan", "edit"], input=GUIDED)
    saved = alice.invoke(app, ["safety", "plan", "show", "--json"]).output
    alice.invoke(app, ["safety", "plan", "edit"], input="\n" * 6 + "-\n")
    path = tmp_path / "plan.json"
    path.write_text(saved)
    assert alice.invoke(app, ["safety", "plan", "edit", "--file", str(path)]).exit_code == 0
    assert _show(alice) == json.loads(saved)


def test_bad_input_changes_nothing_and_says_why(alice: CliRunner, tmp_path: Path) -> None:
    alice.invoke(app, ["safety", "plan", "edit"], input=GUIDED)
    before = _show(alice)
    too_long = "x" * 301 + "\n\n" + "\n" * 6
    result = alice.invoke(app, ["safety", "plan", "edit"], input=too_long)
    assert result.exit_code == 2
    assert "nothing was changed" in " ".join(result.output.split())
    bad = tmp_path / "bad.json"
    bad.write_text('{"warning_signs": "not a list"}')
    result = alice.invoke(app, ["safety", "plan", "edit", "--file", str(bad)])
    assert result.exit_code == 2
    assert "not valid" in result.output
    missing = alice.invoke(app, ["safety", "plan", "edit", "--file", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "Traceback" not in result.output + missing.output
    assert _show(alice) == before


def test_the_plan_is_encrypted_at_rest(alice: CliRunner, tmp_path: Path) -> None:
    alice.invoke(app, ["safety", "plan", "edit"], input=GUIDED)
    data_dir = tmp_path / "data"
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.is_file())
    assert b"Pepper" not in raw
    assert b"car keys" not in raw


def test_a_plan_that_carries_risk_is_saved_and_answered_with_the_crisis_response(
    alice: CliRunner, tmp_path: Path
) -> None:
    risky = "I have the pills saved up and I'm going to take them all tonight"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"warning_signs": [risky]}))
    result = alice.invoke(app, ["safety", "plan", "edit", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "116 123" in result.output  # the crisis lines for Alice's country (GB)
    plan = _show(alice)
    assert plan is not None and plan["warning_signs"] == [risky]


def test_an_ordinary_plan_shows_no_crisis_response(alice: CliRunner) -> None:
    result = alice.invoke(app, ["safety", "plan", "edit"], input=GUIDED)
    assert result.exit_code == 0
    assert "116 123" not in result.output
