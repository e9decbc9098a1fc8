"""A journal entry going in and coming out (shared by the API, the web pages and the CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, Field

from steadymind.core.fields import Strict, Tags, Text

MAX_TITLE = 200
MAX_BODY = 100_000

Title = Annotated[Text, Field(max_length=MAX_TITLE)]
Body = Annotated[Text, Field(max_length=MAX_BODY)]


class JournalIn(Strict):
    at: AwareDatetime | None = None
    tz: str | None = Field(None, max_length=64)
    title: Title = ""
    body: Body
    tags: Tags = Field(default_factory=list)


class JournalPatch(Strict):
    at: AwareDatetime | None = None
    tz: str | None = Field(None, max_length=64)
    title: Title | None = None
    body: Body | None = None
    tags: Tags | None = None


class JournalOut(BaseModel):
    id: str
    at: datetime
    tz: str
    title: str
    body: str
    tags: list[str]
    analysis: dict[str, Any] | None = None
    created_at: datetime
    updated_at: datetime
    unreadable: bool = Field(False, description="The stored text failed to decrypt (damaged)")
