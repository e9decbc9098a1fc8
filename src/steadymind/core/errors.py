"""The one error hierarchy.

Every error the application raises on purpose derives from :class:`SteadymindError`. Each carries
an HTTP status and a stable machine-readable ``code`` so that the API, the web UI and the CLI can
render it in one shape without knowing the concrete class. Messages are written for the person
who reads them and never contain user text, passwords or keys.
"""

from __future__ import annotations

from typing import Any


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
