"""Settings from ``STEADYMIND_*`` environment variables and an optional TOML file.

Precedence: explicit arguments > environment > TOML file (``STEADYMIND_CONFIG`` or
``<data_dir>/steadymind.toml``) > defaults. A bad value raises :class:`ConfigError` naming the
setting, so a typo in a deployment fails loudly at start instead of half-working.
"""

from __future__ import annotations

import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from steadymind.core.errors import ConfigError


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("steadymind", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STEADYMIND_", extra="forbid", frozen=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Cookies carry the Secure flag when served over HTTPS (set true behind a TLS proxy).
    secure_cookies: bool = False
    session_idle_minutes: int = Field(default=12 * 60, ge=1)
    session_absolute_hours: int = Field(default=14 * 24, ge=1)
    # Argon2id cost for both the login hash and the key-encryption key. The defaults follow the
    # RFC 9106 "second recommended option" scaled to a small server; tests lower them.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=64 * 1024, ge=8)
    # At most this many Argon2 computations at once per process (each takes argon2_memory_kib):
    # a login storm queues instead of taking the server's memory.
    argon2_max_concurrent: int = Field(default=2, ge=1)
    # Login throttling (docs/security.md): failed logins free per account and client, then
    # 1 s, 2 s, 4 s ... (at most login_max_delay_seconds) between attempts, never a lockout.
    login_free_failures: int = Field(default=5, ge=1)
    # From clients that never logged in to the account, all addresses together.
    login_free_failures_per_account: int = Field(default=20, ge=1)
    # From one address, all accounts together (password spraying).
    login_free_failures_per_address: int = Field(default=30, ge=1)
    login_max_delay_seconds: int = Field(default=15 * 60, ge=1)
    # A count is forgotten after this long without an attempt.
    login_forget_hours: int = Field(default=24, ge=1)
    signup_free_per_address: int = Field(default=5, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    log_level: str = "INFO"
    # An optional language model for the companion's free talk (docs/user-guide.md): an
    # OpenAI-compatible endpoint (Ollama, llama.cpp's server, vLLM, LM Studio) or a local GGUF
    # file (the ``llm`` extra). None by default: nothing is sent anywhere. Each person still
    # chooses whether it writes their replies.
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_gguf_path: Path | None = None
    llm_connect_timeout: float = Field(default=3.0, gt=0)
    llm_first_token_timeout: float = Field(default=15.0, gt=0)
    llm_total_timeout: float = Field(default=60.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("sqlite://", "postgresql+psycopg://", "postgresql://")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value.upper()

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'steadymind.db'}"


def _toml_values(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    return dict(raw.get("steadymind", raw))


def load_settings(**overrides: Any) -> Settings:
    """Build settings, raising ConfigError that names the offending setting."""
    file_values: dict[str, Any] = {}
    explicit = os.environ.get("STEADYMIND_CONFIG")
    if explicit:
        if not Path(explicit).is_file():
            raise ConfigError(f"STEADYMIND_CONFIG points to {explicit}, which does not exist")
        file_values = _toml_values(Path(explicit))
    else:
        data_dir = Path(os.environ.get("STEADYMIND_DATA_DIR") or default_data_dir())
        candidate = data_dir / "steadymind.toml"
        if candidate.is_file():
            file_values = _toml_values(candidate)
    env_keys = {
        k.removeprefix("STEADYMIND_").lower() for k in os.environ if k.startswith("STEADYMIND_")
    }
    merged = {k: v for k, v in file_values.items() if k not in env_keys} | overrides
    try:
        return Settings(**merged)
    except ValidationError as exc:
        problems = "; ".join(
            f"STEADYMIND_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
