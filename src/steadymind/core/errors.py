"""The one error hierarchy.

Every error the application raises on purpose derives from :class:`SteadymindError`. Each carries
an HTTP status and a stable machine-readable ``code`` so that the API, the web UI and the CLI can
render it in one shape without knowing the concrete class. Messages are written for the person
who reads them and never contain user text, passwords or keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from pydantic import ValidationError as PydanticValidationError


class SteadymindError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


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
        {"field": ".".join(str(p) for p in err.get("loc", ())), "problem": str(err.get("msg", ""))}
        for err in exc.errors()
    ]


def from_pydantic(exc: PydanticValidationError) -> ValidationError:
    """The one way a pydantic error becomes ours: the first problem as the message (web forms and
    the CLI show one line), every problem in the details (the API lists them)."""
    problems = field_problems(exc)
    first = problems[0] if problems else {"field": "", "problem": "not valid"}
    message = f"{first['field']}: {first['problem']}" if first["field"] else first["problem"]
    return ValidationError(message, details={"errors": problems})
