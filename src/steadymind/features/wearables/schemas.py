"""What the API says about imports, days and the person's usual."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class ImporterOut(BaseModel):
    name: str
    label: str
    suffixes: list[str]
    help: str


class ProblemOut(BaseModel):
    where: str
    what: str


class ImportOut(BaseModel):
    id: str
    importer: str
    status: str  # reading, saving, done, failed, continued (by a later import of the file)
    bytes_total: int
    bytes_done: int
    samples_read: int
    added: int
    duplicates: int
    skipped: int
    days: int
    problems: list[ProblemOut]
    resumed_from: int = 0  # bytes an interrupted import of the same file had already read
    started_at: str
    finished_at: str | None


class UsualOut(BaseModel):
    low: float
    usual: float
    high: float
    days: int


class DayOut(BaseModel):
    day: date
    values: dict[str, float]
    # "low", "usual" or "high" for this person, for each value that has a usual.
    places: dict[str, str]


class DaysOut(BaseModel):
    days: list[DayOut]
    usual: dict[str, UsualOut]
    labels: dict[str, str]
    units: dict[str, str]


class KeepSamples(BaseModel):
    keep_samples: bool
