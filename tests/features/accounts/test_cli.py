"""``steadymind user create`` and ``user password`` (issue 12, item 16): a too-short password is
refused as soon as it is typed, before it is asked for again."""

from __future__ import annotations

import getpass
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from steadymind.cli.main import app
from steadymind.features.accounts.cli import user_create, user_password

PASSWORD = "a quiet lake at dawn"
NEW = "a brand new passphrase"


class Terminal(io.StringIO):
    """Standard input as a person at a terminal: passwords come from getpass."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STEADYMIND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("STEADYMIND_INSECURE_ARGON2_FOR_TESTS", "true")
    for name in ("PASSWORD", "NEW_PASSWORD", "USER", "DATABASE_URL", "CONFIG"):
        monkeypatch.delenv(f"STEADYMIND_{name}", raising=False)
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    return tmp_path / "data"


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[list[str], list[str]]]:
    """(answers to give, prompts seen): what the person types at each password prompt."""
    answers: list[str] = []
    prompts: list[str] = []

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr(getpass, "getpass", ask)
    monkeypatch.setattr(sys, "stdin", Terminal())
    yield answers, prompts


def test_user_create_refuses_a_short_password_before_asking_again(
    data_dir: Path, typed: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    answers, prompts = typed
    answers += ["short", "short"]
    with pytest.raises(typer.Exit):
        user_create("erin")
    assert prompts == ["Password: "]
    assert "at least 8 characters" in capsys.readouterr().err


def test_user_create_asks_twice_for_a_good_password(
    data_dir: Path, typed: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    answers, prompts = typed
    answers += [PASSWORD, PASSWORD + "!"]
    with pytest.raises(typer.Exit):
        user_create("erin")
    assert prompts == ["Password: ", "Password again: "]
    assert "The passwords differ" in capsys.readouterr().err
    answers += [PASSWORD, PASSWORD]
    user_create("erin")
    assert "Recovery key" in capsys.readouterr().out


def test_user_password_changes_the_password(
    data_dir: Path, typed: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    answers, prompts = typed
    answers += [PASSWORD, PASSWORD]
    user_create("erin")
    prompts.clear()
    answers += [PASSWORD, "short"]
    with pytest.raises(typer.Exit):
        user_password("erin")
    assert prompts == ["Password: ", "New password: "]  # refused before it is asked again
    assert "at least 8 characters" in capsys.readouterr().err
    answers += [PASSWORD, NEW, NEW]
    user_password("erin")
    assert "Your password is changed." in capsys.readouterr().out
    answers += [PASSWORD, NEW, NEW]
    with pytest.raises(typer.Exit):  # the old password no longer works
        user_password("erin")
    assert "Wrong username or password" in capsys.readouterr().err


def test_user_password_from_the_environment(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEADYMIND_PASSWORD", PASSWORD)
    runner = CliRunner()
    assert runner.invoke(app, ["user", "create", "erin"]).exit_code == 0
    monkeypatch.setenv("STEADYMIND_NEW_PASSWORD", NEW)
    changed = runner.invoke(app, ["user", "password", "--user", "erin"])
    assert changed.exit_code == 0, changed.output
    monkeypatch.setenv("STEADYMIND_PASSWORD", NEW)
    monkeypatch.setenv("STEADYMIND_NEW_PASSWORD", PASSWORD)
    assert runner.invoke(app, ["user", "password", "--user", "erin"]).exit_code == 0
