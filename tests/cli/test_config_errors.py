"""A configuration that cannot work is one clear line from every command, never a traceback:
a binary or broken config file, a typo in a variable's name, a data directory that cannot be
made or written. And the data directory is made private (0700)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")

# Commands that read no configuration: the safety check and the emotion reading of a text work
# with no account and no database.
NEED_NO_CONFIG = {"safety check", "affect text", "assess score"}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\xff\xfe"


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _leaves(sub, (*path, name))
    else:
        yield path, command


def _arguments(command: Any) -> list[str]:
    """Enough to pass the parser: a value for each required option and argument."""
    args: list[str] = []
    for param in command.params:
        if param.required:
            args += [param.opts[0], "1"] if param.opts[0].startswith("-") else ["1"]
    return args


COMMANDS = [
    pytest.param([*path, *_arguments(cmd)], id=" ".join(path))
    for path, cmd in _leaves(typer.main.get_command(app))
    if " ".join(path) not in NEED_NO_CONFIG
]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("STEADYMIND_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("STEADYMIND_PASSWORD", "a quiet lake at dawn")
    monkeypatch.setenv("STEADYMIND_USER", "alice")
    return tmp_path


def one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return str(lines[0])


def test_every_command_but_those_without_config_is_walked() -> None:
    walked = {" ".join(p) for p, _ in _leaves(typer.main.get_command(app))}
    assert walked >= NEED_NO_CONFIG
    assert {"serve", "db upgrade", "checkin", "journal list", "export"} <= walked


@pytest.mark.parametrize("command", COMMANDS)
def test_a_binary_config_file_is_one_line_from_every_command(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    config = env / "steadymind.toml"
    config.write_bytes(PNG)
    monkeypatch.setenv("STEADYMIND_CONFIG", str(config))
    line = one_line_error(CliRunner().invoke(app, command, input=""))
    assert f"The config file {config} is not a text (UTF-8 TOML) file." in line


@pytest.mark.parametrize("command", COMMANDS)
def test_a_typo_in_a_variable_is_one_line_naming_the_setting(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(env / "data"))
    monkeypatch.setenv("STEADYMIND_SECURE_COOKIE", "true")
    line = one_line_error(CliRunner().invoke(app, command, input=""))
    assert "STEADYMIND_SECURE_COOKIE is not a setting" in line
    assert "did you mean STEADYMIND_SECURE_COOKIES?" in line


@pytest.mark.parametrize("command", [["db", "upgrade"], ["serve"], ["journal", "list"]])
def test_a_data_directory_that_cannot_be_made_is_one_line(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    (env / "a-file").write_text("")
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(env / "a-file" / "data"))
    line = one_line_error(CliRunner().invoke(app, command))
    assert f"The data directory {env / 'a-file' / 'data'} cannot be created" in line
    assert "STEADYMIND_DATA_DIR" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
@pytest.mark.parametrize("command", [["db", "upgrade"], ["serve"]])
def test_a_read_only_data_directory_is_one_line(
    env: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    data = env / "data"
    data.mkdir()
    data.chmod(0o500)
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(data))
    try:
        line = one_line_error(CliRunner().invoke(app, command))
    finally:
        data.chmod(0o700)
    assert f"The data directory {data} is read-only" in line


def test_db_upgrade_makes_the_data_directory_private(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.umask(0o022)
    try:
        fresh, existing = env / "fresh" / "data", env / "existing"
        existing.mkdir(mode=0o755)
        existing.chmod(0o755)  # as an earlier version made it
        for data in (fresh, existing):
            monkeypatch.setenv("STEADYMIND_DATA_DIR", str(data))
            result = CliRunner().invoke(app, ["db", "upgrade"])
            assert result.exit_code == 0, result.output
            assert stat.S_IMODE(data.stat().st_mode) == 0o700
            assert stat.S_IMODE((data / "steadymind.db").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_serve_warns_when_hashing_is_below_the_owasp_minimum(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from steadymind.core import logs
    from steadymind.screen import TextSeam

    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(env / "data"))
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("STEADYMIND_INSECURE_ARGON2_FOR_TESTS", "true")
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: served.append(application))
    monkeypatch.setattr(TextSeam, "warm_up", lambda self: None)
    monkeypatch.setattr(logs, "configure", lambda level: None)  # keep pytest's own handlers
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert served
    assert "Warning: STEADYMIND_INSECURE_ARGON2_FOR_TESTS is set" in result.stderr
