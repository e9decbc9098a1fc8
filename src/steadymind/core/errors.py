"""The one error hierarchy.

Every error the application raises on purpose derives from :class:`SteadymindError`. Each carries
an HTTP status and a stable machine-readable ``code`` so that the API, the web UI and the CLI can
render it in one shape without knowing the concrete class. Messages are written for the person
who reads them, as sentences (the first letter a capital, whoever raised them), and never contain
user text, passwords or keys.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from pydantic import ValidationError as PydanticValidationError


class SteadymindError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        message = sentence(message)
        super().__init__(message)
        self.message = message
        self.details = details or {}


def sentence(message: str) -> str:
    """``message`` with a capital first letter: every message a person reads is a sentence."""
    return message[:1].upper() + message[1:] if message[:1].islower() else message


class ConfigError(SteadymindError):
    code = "config_error"


class ValidationError(SteadymindError):
    status = 422
    code = "validation_error"


class AuthenticationError(SteadymindError):
    status = 401
    code = "not_authenticated"


class PermissionDenied(SteadymindError):
    status = 403
    code = "forbidden"


class NotFound(SteadymindError):
    """Also raised for other people's objects: we never reveal that they exist."""

    status = 404
    code = "not_found"


class Conflict(SteadymindError):
    status = 409
    code = "conflict"


class PayloadTooLarge(SteadymindError):
    status = 413
    code = "payload_too_large"


class RateLimited(SteadymindError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class DiskFull(SteadymindError):
    """The disk under the database (or its quota) is full: the write did not happen."""

    status = 507  # Insufficient Storage (RFC 4918): the server cannot store what was sent
    code = "disk_full"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or DISK_FULL)


DISK_FULL = (
    "The server's disk is full, so this was not saved. "
    "Please try again later, or tell the person who runs this server."
)
# SQLite's SQLITE_FULL, and PostgreSQL's disk_full (SQLSTATE 53100).
_SQLITE_FULL = 13
_PG_DISK_FULL = "53100"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        # SQLAlchemy keeps the driver's exception as ``orig``; `raise ... from None` hides the
        # context on purpose (an error already said in words).
        context = None if current.__suppress_context__ else current.__context__
        todo += [current.__cause__, context, getattr(current, "orig", None)]


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the disk is full, from the OS or a database."""
    for cause in _causes(exc):
        if isinstance(cause, OSError) and cause.errno in {errno.ENOSPC, errno.EDQUOT}:
            return True
        if getattr(cause, "sqlite_errorcode", None) == _SQLITE_FULL:
            return True
        if getattr(cause, "sqlstate", None) == _PG_DISK_FULL:
            return True
    return False


class DecryptionError(SteadymindError):
    """A ciphertext failed authentication: wrong key, tampered, or moved to another row."""

    code = "decryption_failed"


class DatabaseNotMigrated(SteadymindError):
    code = "database_not_migrated"


class ModelError(SteadymindError):
    """A shipped model is missing, corrupt (checksum mismatch) or failed to run."""

    code = "model_error"


class _HasErrors(Protocol):
    """pydantic's ValidationError, and FastAPI's RequestValidationError, which is not one."""

    def errors(self) -> Sequence[Any]: ...


def field_problems(exc: _HasErrors) -> list[dict[str, str]]:
    """Where each problem is and what it is, never the value (it may be a journal entry)."""
    return [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "problem": _problem(err)}
        for err in exc.errors()
    ]


def _problem(err: Any) -> str:
    """pydantic's message, with a text's length always in characters: a limit checked after a
    validator reads "Value should have at most 100000 items after validation"."""
    ctx = err.get("ctx") or {}
    if isinstance(err.get("input"), str) and err.get("type") in {"too_long", "string_too_long"}:
        return f"Text should have at most {ctx.get('max_length', 0)} characters"
    if isinstance(err.get("input"), str) and err.get("type") in {"too_short", "string_too_short"}:
        least = ctx.get("min_length", 1)
        return f"Text should have at least {least} character{'s' if least != 1 else ''}"
    return sentence(str(err.get("msg", "")))


def from_pydantic(exc: PydanticValidationError) -> ValidationError:
    """The one way a pydantic error becomes ours: the first problem as the message (web forms and
    the CLI show one line), every problem in the details (the API lists them)."""
    problems = field_problems(exc)
    first = problems[0] if problems else {"field": "", "problem": "not valid"}
    message = f"{first['field']}: {first['problem']}" if first["field"] else first["problem"]
    return ValidationError(message, details={"errors": problems})
