"""Configuration from environment and TOML, with errors that name the setting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from steadymind.core.config import OTHER_VARIABLES, Settings, load_settings
from steadymind.core.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("STEADYMIND_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def test_defaults_use_sqlite_under_the_xdg_data_dir(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == tmp_path / "xdg" / "steadymind"
    assert (
        settings.resolved_database_url
        == f"sqlite:///{tmp_path / 'xdg' / 'steadymind' / 'steadymind.db'}"
    )
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STEADYMIND_PORT", "9000")
    monkeypatch.setenv("STEADYMIND_DATABASE_URL", "postgresql://u@h/db")
    settings = load_settings()
    assert settings.port == 9000
    assert settings.resolved_database_url == "postgresql+psycopg://u@h/db"


def test_toml_file_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "steadymind.toml"
    config.write_text('port = 7000\nhost = "0.0.0.0"\n')
    monkeypatch.setenv("STEADYMIND_CONFIG", str(config))
    monkeypatch.setenv("STEADYMIND_PORT", "7100")
    settings = load_settings()
    assert (settings.host, settings.port) == ("0.0.0.0", 7100)


@pytest.mark.parametrize(
    ("env", "value", "named"),
    [
        ("STEADYMIND_PORT", "eighty", "STEADYMIND_PORT"),
        ("STEADYMIND_PORT", "70000", "STEADYMIND_PORT"),
        ("STEADYMIND_DATABASE_URL", "mysql://x", "STEADYMIND_DATABASE_URL"),
        ("STEADYMIND_LOG_LEVEL", "LOUD", "STEADYMIND_LOG_LEVEL"),
        ("STEADYMIND_SESSION_IDLE_MINUTES", "0", "STEADYMIND_SESSION_IDLE_MINUTES"),
    ],
)
def test_bad_values_name_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, named: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError, match=named):
        load_settings()


def test_unknown_key_in_toml_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("prot = 1\n")
    monkeypatch.setenv("STEADYMIND_CONFIG", str(config))
    with pytest.raises(
        ConfigError, match=r"Unknown setting 'prot' in .* \(did you mean 'port'\?\)"
    ):
        load_settings()


def test_broken_toml_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("port = = 1\n")
    monkeypatch.setenv("STEADYMIND_CONFIG", str(config))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()


def test_missing_config_file_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STEADYMIND_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings()


# -- names: a typo is an error that names the setting meant ---------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("STEADYMIND_SECURE_COOKIE", "STEADYMIND_SECURE_COOKIES"),
        ("STEADYMIND_PROT", "STEADYMIND_PORT"),
        ("STEADYMIND_DATABASE", "STEADYMIND_DATABASE_URL"),
        ("STEADYMIND_ARGON_MEMORY_KIB", "STEADYMIND_ARGON2_MEMORY_KIB"),
    ],
)
def test_an_unknown_variable_is_an_error_naming_the_closest_setting(
    monkeypatch: pytest.MonkeyPatch, typed: str, meant: str
) -> None:
    monkeypatch.setenv(typed, "1")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert f"{typed} is not a setting" in caught.value.message
    assert f"did you mean {meant}?" in caught.value.message


def test_an_unknown_variable_like_no_setting_is_still_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEADYMIND_XYZZY", "1")
    with pytest.raises(ConfigError, match="STEADYMIND_XYZZY is not a setting"):
        load_settings()


def test_an_unknown_key_in_the_toml_file_names_the_closest_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "c.toml"
    config.write_text("secure_cookie = true\n")
    monkeypatch.setenv("STEADYMIND_CONFIG", str(config))
    with pytest.raises(ConfigError, match="did you mean 'secure_cookies'"):
        load_settings()


@pytest.mark.parametrize("name", sorted(OTHER_VARIABLES))
def test_the_variables_read_outside_the_settings_are_not_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    value = str(tmp_path / "c.toml") if name == "CONFIG" else "x"
    if name == "CONFIG":
        (tmp_path / "c.toml").write_text("")
    monkeypatch.setenv(f"STEADYMIND_{name}", value)
    load_settings()


ROOT = Path(__file__).resolve().parents[2]
_NAME = re.compile(r"STEADYMIND_([A-Z0-9_]*[A-Z0-9])")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def _names_in_code(path: Path) -> set[str]:
    """The STEADYMIND_* names a Python file reads: whole string literals, not prose."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = _docstrings(tree)
    return {
        match.group(1)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
        if (match := _NAME.fullmatch(node.value))
    }


def test_every_variable_the_project_reads_is_a_setting_or_declared() -> None:
    """So that the list of variables that are not settings is neither short nor stale."""
    places = [ROOT / "src", ROOT / "tests", ROOT / "training", ROOT / "bench"]
    names = {name for place in places for p in place.rglob("*.py") for name in _names_in_code(p)}
    for script in (ROOT / "Makefile", ROOT / ".ci" / "run"):
        names |= set(_NAME.findall(script.read_text(encoding="utf-8")))
    settings = {name.upper() for name in Settings.model_fields}
    typos_in_this_file = {"SECURE_COOKIE", "PROT", "DATABASE", "ARGON_MEMORY_KIB", "XYZZY"}
    read = names - typos_in_this_file
    assert read - settings - OTHER_VARIABLES == set()
    assert OTHER_VARIABLES - read == set()


# -- Argon2: nothing below the OWASP minimum ------------------------------------------------------


@pytest.mark.parametrize(
    ("memory_kib", "time_cost"),
    [(8, 1), (19456, 1), (47103, 1), (19455, 2), (12288, 2), (7167, 5)],
)
def test_argon2_below_the_owasp_minimum_is_refused(
    monkeypatch: pytest.MonkeyPatch, memory_kib: int, time_cost: int
) -> None:
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", str(memory_kib))
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", str(time_cost))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = caught.value.message
    assert "OWASP" in message and "19 MiB" in message and "2 passes" in message
    assert "STEADYMIND_ARGON2_MEMORY_KIB" in message and "STEADYMIND_ARGON2_TIME_COST" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("memory_kib", "time_cost"),
    [(19456, 2), (47104, 1), (12288, 3), (9216, 4), (7168, 5), (65536, 3)],
)
def test_argon2_at_or_above_the_owasp_minimum_is_accepted(
    monkeypatch: pytest.MonkeyPatch, memory_kib: int, time_cost: int
) -> None:
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", str(memory_kib))
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", str(time_cost))
    settings = load_settings()
    assert (settings.argon2_memory_kib, settings.argon2_time_cost) == (memory_kib, time_cost)


def test_the_defaults_meet_the_owasp_minimum() -> None:
    settings = load_settings()
    assert (settings.argon2_memory_kib, settings.argon2_time_cost) == (64 * 1024, 3)


def test_only_a_test_suite_may_hash_below_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEADYMIND_ARGON2_MEMORY_KIB", "8")
    monkeypatch.setenv("STEADYMIND_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("STEADYMIND_INSECURE_ARGON2_FOR_TESTS", "true")
    assert load_settings().argon2_memory_kib == 8


# -- files that cannot be read: one clear line -------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        b"\xff\xfe\x00p\x00o\x00r\x00t",
        b"port = = 1",
    ],
)
def test_a_binary_or_broken_toml_file_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes
) -> None:
    config = tmp_path / "c.toml"
    config.write_bytes(content)
    monkeypatch.setenv("STEADYMIND_CONFIG", str(config))
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(config) in caught.value.message
    assert "\n" not in caught.value.message
