"""Settings from ``STEADYMIND_*`` environment variables and an optional TOML file.

Precedence: explicit arguments > environment > TOML file (``STEADYMIND_CONFIG`` or
``<data_dir>/steadymind.toml``) > defaults. A bad value, an unknown ``STEADYMIND_*`` variable or
TOML key (a typo: the message names the closest setting) and a config file that cannot be read
each raise one :class:`ConfigError` of one line, so a deployment fails loudly at start instead of
half-working.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, Self

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from steadymind.core.errors import ConfigError

PREFIX = "STEADYMIND_"
# Variables with our prefix that are not settings (the rest of a name after STEADYMIND_), and who
# reads them. Any other STEADYMIND_* variable is a typo. tests/core/test_config.py keeps this list
# equal to what the code reads.
OTHER_VARIABLES = frozenset(
    {
        "CONFIG",  # this module: the TOML file
        "USER",  # the command line: who runs a command (steadymind.ui.cli)
        "PASSWORD",
        "NEW_PASSWORD",  # `user password`: the new one, for scripts
        "SHARED_DATA",  # training/: where the data sets are
        "ESM_DATA",  # bench/bench_insights.py: the public experience-sampling data set
        "TEST_DATABASE_URL",  # the test suite: PostgreSQL instead of SQLite
        "SCREENSHOTS",  # the browser tests: a folder to save what they see
        "CRASH_ITERATIONS",  # the crash-loop test and its writer process
        "CRASH_SEED",
        "CRASH_USER",
        "CRASH_DATA_KEY",
        "CI_PG_URL",  # .ci/run
        "TEST_REDIS_URL",  # the test suite: a Redis for the job queue's tests
        "CI_REDIS_URL",  # .ci/run
    }
)
# Argon2id pairs of memory (KiB) and passes that OWASP's Password Storage Cheat Sheet lists as
# equally strong minimums (parallelism 1). A cost below all of them is refused.
OWASP_ARGON2ID = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))
OWASP_ARGON2ID_TEXT = (
    "the OWASP minimum for Argon2id (Password Storage Cheat Sheet) is 19 MiB (19456 KiB) with "
    "2 passes, or 46 MiB with 1, 12 MiB with 3, 9 MiB with 4, 7 MiB with 5"
)


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
    # The address people open (https://mind.example.org): the app lock's passkeys are bound to
    # its origin and host name (the WebAuthn relying party). Unset: http://localhost:<port>.
    base_url: str | None = None
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
    # The transport's limit, in bytes, above the largest valid request in its worst encoding, so
    # that the schemas' limits in characters are the ones people meet whatever their script: a
    # character can take 12 bytes (an astral one as a pair of \uXXXX escapes in ASCII-only JSON,
    # or four percent-encoded UTF-8 bytes in a form); the journal's longest entry is 101,000
    # characters (body, title, tags), 1.2 MB at worst. tests/http/test_limits.py.
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    # The limit on the few routes a feature declares as file uploads (a wearable's export:
    # years of a watch are a few gigabytes). They stream to a file, never into memory.
    max_upload_bytes: int = Field(default=4 * 1024**3, ge=1024)
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
    # Background jobs (huey; docs/architecture.md, "Jobs"): their queue is a SQLite file in the
    # data directory by default, or Redis for a clinic ("redis://host:6379/0"). In-process
    # workers run inside `steadymind serve` unless jobs_in_process is false; then run
    # `steadymind worker` beside it.
    jobs_url: str | None = None
    jobs_in_process: bool = True
    jobs_workers: int = Field(default=4, ge=1, le=64)
    # Email reminders (SMTP); none are sent unless a host and a sender are set.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    # Who to contact about this server's Web Push messages (VAPID "sub": mailto: or https:).
    push_contact: str = "mailto:admin@localhost"
    # Only a test suite may hash below the OWASP minimum (thousands of sign-ups in a run).
    insecure_argon2_for_tests: bool = False

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("sqlite://", "postgresql+psycopg://", "postgresql://")):
            raise ValueError("Must start with sqlite:// or postgresql+psycopg://")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("Must be one of DEBUG, INFO, WARNING, ERROR")
        return value.upper()

    @model_validator(mode="after")
    def _argon2_at_least_owasp(self) -> Self:
        memory, passes = self.argon2_memory_kib, self.argon2_time_cost
        if self.insecure_argon2_for_tests or any(
            memory >= m and passes >= t for m, t in OWASP_ARGON2ID
        ):
            return self
        raise ValueError(
            f"{PREFIX}ARGON2_MEMORY_KIB={memory} with {PREFIX}ARGON2_TIME_COST={passes} is too "
            f"weak to protect passwords: {OWASP_ARGON2ID_TEXT}"
        )

    @cached_property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'steadymind.db'}"


def _toml_values(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file {path} is not valid TOML: {exc}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"The config file {path} is not a text (UTF-8 TOML) file.") from None
    except OSError as exc:
        raise ConfigError(f"The config file {path} cannot be read: {exc.strerror}.") from None
    return dict(raw.get("steadymind", raw))


def _did_you_mean(name: str, known: Iterable[str], prefix: str = "", quote: bool = False) -> str:
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not match:
        return ""
    meant = f"{prefix}{match[0]}"
    return f" (did you mean {meant!r}?)" if quote else f" (did you mean {meant}?)"


def _unknown_variables() -> None:
    """A STEADYMIND_* variable that is neither a setting nor read elsewhere is a typo."""
    settings = {name.upper() for name in Settings.model_fields}
    for key in sorted(os.environ):
        name = key.upper().removeprefix(PREFIX)
        if key.upper().startswith(PREFIX) and name not in settings | OTHER_VARIABLES:
            near = _did_you_mean(name, settings, PREFIX)
            raise ConfigError(f"{key} is not a setting{near}.")


def _unknown_keys(values: dict[str, Any], where: Path) -> None:
    for key in values:
        if key not in Settings.model_fields:
            near = _did_you_mean(key, Settings.model_fields, quote=True)
            raise ConfigError(f"Unknown setting {key!r} in {where}{near}.")


def _problem(err: Any) -> str:
    where = "_".join(str(p) for p in err["loc"]).upper()
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{PREFIX}{where}: {message}" if where else message


def load_settings(**overrides: Any) -> Settings:
    """Build settings, raising ConfigError that names the offending setting."""
    _unknown_variables()
    file_values: dict[str, Any] = {}
    explicit = os.environ.get("STEADYMIND_CONFIG")
    source = Path(explicit) if explicit else None
    if source is not None:
        if not source.is_file():
            raise ConfigError(f"STEADYMIND_CONFIG points to {explicit}, which does not exist.")
        file_values = _toml_values(source)
    else:
        data_dir = Path(os.environ.get("STEADYMIND_DATA_DIR") or default_data_dir())
        candidate = data_dir / "steadymind.toml"
        if candidate.is_file():
            source, file_values = candidate, _toml_values(candidate)
    if source is not None:
        _unknown_keys(file_values, source)
    env_keys = {
        k.removeprefix("STEADYMIND_").lower() for k in os.environ if k.startswith("STEADYMIND_")
    }
    merged = {k: v for k, v in file_values.items() if k not in env_keys} | overrides
    try:
        return Settings(**merged)
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise ConfigError(f"Invalid configuration: {problems}.") from None
