"""The README's instructions are real: its make targets exist and its CLI commands parse."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_readme_gives_the_two_setup_commands() -> None:
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    for target in (
        "run",
        "test",
        "lint",
        "imports",
        "bench",
        "bench-emotion",
        "bench-safety",
        "promote",
    ):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


COMMANDS = sorted(
    {
        m.group(1).split("#")[0].strip()
        for m in re.finditer(r"^[ \t]+(steadymind [^\n]+)$", README, re.MULTILINE)
    }
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_cli_command_in_the_readme_exists(command: str) -> None:
    words = [
        w
        for w in shlex.split(command.replace("[", "").replace("]", ""))[1:]
        if not w.startswith(("-", "<"))
    ]
    path = [w for w in words if re.fullmatch(r"[a-z-]+", w)][:2]
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (command, result.output)
