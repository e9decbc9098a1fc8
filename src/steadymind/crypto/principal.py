"""Who is asking: the authenticated user and their unwrapped data key for this request only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from steadymind.crypto.vault import FieldCipher

# How much AI the person wants: none at all (no companion, no model suggestions anywhere), the
# model's suggestions only (feelings read in what they write), or the companion too. The crisis
# gate is not one of these choices: it reads every text whatever the setting.
AiLevel = Literal["off", "suggestions", "companion"]
AI_LEVELS: tuple[AiLevel, ...] = ("off", "suggestions", "companion")


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
    ai_level: AiLevel = "suggestions"

    @property
    def suggestions_on(self) -> bool:
        """Whether the model's suggestions (feelings read in a text) may be shown."""
        return self.ai_level != "off"

    def cipher(self) -> FieldCipher:
        return FieldCipher(self.data_key, self.user_id)
