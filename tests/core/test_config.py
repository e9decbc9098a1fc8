"""Configuration from environment and TOML, with errors that name the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from steadymind.core.config import load_settings
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
    with pytest.raises(ConfigError, match="STEADYMIND_PROT"):
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
