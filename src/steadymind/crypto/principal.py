"""Who is asking: the authenticated user and their unwrapped data key for this request only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from steadymind.crypto.vault import FieldCipher


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    # Held in memory for the request; never persisted or logged (repr=False keeps it out of logs).
    data_key: bytes = field(repr=False)
    via: Literal["session", "token"]
    credential_id: str
    country: str | None = None
    timezone: str = "UTC"

    def cipher(self) -> FieldCipher:
        return FieldCipher(self.data_key, self.user_id)
