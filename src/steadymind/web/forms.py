"""The web forms as models: FastAPI parses them, the domain models validate what they mean."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CsrfForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    csrf: str = Field("", max_length=100)


def split_tags(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


class CheckInForm(CsrfForm):
    mood: int = 0
    energy: int = 0
    intensity: str = Field("", max_length=3)
    emotions: list[str] = Field(default_factory=list, max_length=100)
    tags: str = Field("", max_length=900)
    note: str = Field("", max_length=5000)
    # The review page posts feelings only, leaving the rest of the check-in as it was.
    emotions_only: str = Field("", max_length=1)

    def fields(self) -> dict[str, Any]:
        if self.emotions_only:
            return {"emotions": self.emotions}
        return {
            "mood": self.mood,
            "energy": self.energy,
            "intensity": int(self.intensity) if self.intensity.strip().isdigit() else None,
            "emotions": self.emotions,
            "tags": split_tags(self.tags),
            "note": self.note if self.note.strip() else None,
        }


class JournalForm(CsrfForm):
    body: str = Field(max_length=100_000)
    title: str = Field("", max_length=200)
    tags: str = Field("", max_length=900)

    def fields(self) -> dict[str, Any]:
        return {"title": self.title, "body": self.body, "tags": split_tags(self.tags)}
