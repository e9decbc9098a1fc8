"""The practices, as data: one reviewed TOML file per practice in ``catalogue/``, checked at start.

A practice says what it is for, its steps (what is said, and a wording that does not mention the
body where the main one does), its breathing pattern if it is paced, a short evidence note with
references, and its cautions. Adding a practice is adding a file; ``load_catalogue`` refuses an
incomplete one, so a missing caution or reference fails at start and in the tests, not in a
session.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from steadymind.core.errors import ConfigError

FOLDER = Path(__file__).parent / "catalogue"
GOALS_FILE = Path(__file__).parent / "goals.toml"
Goal = Literal["calm", "sleep", "focus", "self-compassion", "craving"]
GOALS: tuple[Goal, ...] = ("calm", "sleep", "focus", "self-compassion", "craving")
Part = Literal["intro", "core", "close"]
MIN_MINUTES, MAX_MINUTES = 1, 30
# Words of a spoken caution (what to do when something feels wrong): such a step must be marked
# `verbatim`, so a language model never rewords it (tests and the loader both hold to this).
CAUTION_WORDS = re.compile(
    r"\b(?:uncomfortable|dizzy|light-headed|lightheaded|panic\w*|pregnan\w*|skip|shorten|"
    r"shorter|smaller breaths|stop\b(?! and)|too long|too much|whenever you need)",
    re.IGNORECASE,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(Strict):
    part: Part
    say: str = Field(min_length=3, max_length=300)
    # The same step in words that do not mention the body, for people who prefer that.
    alt: str | None = Field(default=None, min_length=3, max_length=300)
    body: bool = False
    pause: float = Field(default=0.0, ge=0, le=120)
    # Spoken exactly as written, never reworded by the optional language model: a caution, or
    # words the practice itself repeats (the wishes of loving-kindness, the labels of noting).
    verbatim: bool = False

    @model_validator(mode="after")
    def _alt_when_body(self) -> Step:
        if self.body and not self.alt:
            raise ValueError("a step that mentions the body needs an `alt` wording without it")
        spoken = f"{self.say} {self.alt or ''}"
        if CAUTION_WORDS.search(spoken) and not self.verbatim:
            raise ValueError(f"a spoken caution must be `verbatim = true`: {self.say!r}")
        return self

    def words(self, *, no_body: bool) -> str:
        return self.alt if no_body and self.body and self.alt else self.say


class Pattern(Strict):
    """One breath in seconds: in (and an optional second, short in-breath on top), hold, out,
    hold."""

    inhale: float = Field(gt=0, le=12)
    inhale_top: float = Field(default=0.0, ge=0, le=3)
    hold_in: float = Field(default=0.0, ge=0, le=12)
    exhale: float = Field(gt=0, le=15)
    hold_out: float = Field(default=0.0, ge=0, le=12)

    @property
    def seconds(self) -> float:
        return self.inhale + self.inhale_top + self.hold_in + self.exhale + self.hold_out

    @property
    def per_minute(self) -> float:
        return 60.0 / self.seconds

    @property
    def holds(self) -> bool:
        return self.hold_in > 0 or self.hold_out > 0


class Practice(Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
    title: str = Field(min_length=3, max_length=60)
    summary: str = Field(min_length=10, max_length=200)
    purpose: str = Field(min_length=10, max_length=300)
    goals: tuple[Goal, ...] = Field(min_length=1)
    minutes: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES)
    kind: Literal["paced", "guided"]
    # The practice is about the body itself: left out for "no mention of the body".
    body_focus: bool
    holds: bool
    evidence: str = Field(min_length=80, max_length=1200)
    references: tuple[str, ...] = Field(min_length=1)
    cautions: tuple[str, ...] = Field(min_length=1)
    pattern: Pattern | None = None
    steps: tuple[Step, ...] = Field(min_length=3)

    @model_validator(mode="after")
    def _complete(self) -> Practice:
        parts = {s.part for s in self.steps}
        if parts != {"intro", "core", "close"}:
            raise ValueError("steps need an intro, a core and a close")
        if (self.kind == "paced") != (self.pattern is not None):
            raise ValueError("a paced practice has a breathing pattern, a guided one none")
        if self.pattern is not None and self.pattern.holds != self.holds:
            raise ValueError("`holds` must say whether the pattern holds the breath")
        if self.holds and not any("hold" in c.lower() for c in self.cautions):
            raise ValueError("a practice with breath holds needs a caution about them")
        for ref in self.references:
            if len(ref) < 30 or not any(ch.isdigit() for ch in ref):
                raise ValueError(f"a reference needs authors, a title and a year: {ref!r}")
        return self

    def steps_of(self, part: Part) -> list[Step]:
        return [s for s in self.steps if s.part == part]


class GoalCopy(Strict):
    title: str
    opening: str
    closing: str


def load_practice(path: Path) -> Practice:
    try:
        practice = Practice.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"practice file {path.name} is not valid: {exc}") from None
    if practice.id != path.stem:
        raise ConfigError(f"practice file {path.name} declares id {practice.id!r}")
    return practice


def load_catalogue(folder: Path = FOLDER) -> dict[str, Practice]:
    """Every practice file in ``folder``, by id, in file-name order."""
    found = {p.id: p for p in map(load_practice, sorted(folder.glob("*.toml")))}
    if not found:
        raise ConfigError(f"no practice files in {folder}")
    return found


class Lines(Strict):
    heavy_day: str
    restless: str
    # The breathing cues, spoken over the first breaths.
    in_: str = Field(alias="in")
    in_top: str
    hold: str
    out: str
    rest: str


class GoalBook(Strict):
    """goals.toml: each goal's words, the order its practices are offered in, shared lines."""

    words: dict[Goal, GoalCopy]
    order: dict[Goal, tuple[str, ...]]
    lines: Lines


def load_goals(path: Path = GOALS_FILE) -> GoalBook:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    order, lines = raw.pop("order", {}), raw.pop("lines", {})
    extra = set(raw) - set(GOALS)
    if extra or set(order) != set(GOALS):
        raise ConfigError(f"{path.name} must name each goal once: {sorted(extra)}")
    try:
        return GoalBook(
            words={g: GoalCopy.model_validate(raw[g]) for g in GOALS},
            order=order,
            lines=Lines.model_validate(lines),
        )
    except (KeyError, ValidationError) as exc:
        raise ConfigError(f"{path.name} is not valid: {exc}") from None


@cache
def catalogue() -> dict[str, Practice]:
    """The shipped catalogue, read once."""
    return load_catalogue()


@cache
def goal_book() -> GoalBook:
    return load_goals()
