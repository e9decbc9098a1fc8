"""Every command's help reads cleanly: no `<bool>` beside a flag (a flag takes no value)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from steadymind.cli.main import app


def _paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, (*path, name))


PATHS = list(_paths(typer.main.get_command(app)))


def test_the_walk_reaches_groups_and_commands() -> None:
    assert {(), ("db",), ("db", "upgrade"), ("journal", "add"), ("safety", "plan", "edit")} <= set(
        PATHS
    )


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "steadymind")
def test_help_shows_no_type_beside_a_flag(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    assert "--help" in result.output
    assert "<bool>" not in result.output
    assert "Traceback" not in result.output


def test_options_that_take_a_value_still_say_what_it_is() -> None:
    result = CliRunner().invoke(app, ["checkin", "--help"], terminal_width=100)
    assert "--mood" in result.output and "-5<=x<=5" in result.output
