"""The composer: this person, this goal, this length, this moment -> a timed script.

Deterministic: the same request gives the same script, word for word and second for second, so a
session can be replayed, cached as audio and tested. It reads only the catalogue's reviewed words
(``catalogue/*.toml`` and ``goals.toml``): nothing a person wrote is ever spoken back. For a
person who chose the companion's optional language model, a request may carry a ``Wording``: the
same script with some lines in the model's words, made once when the session starts and kept with
it (``rewording.py``); the timing, the breathing cues and every step marked ``verbatim`` stay.

A script has two tracks that run together: ``voice`` (what is said, when) and ``breaths`` (the
pacer's phases, for paced practices). The audio mixes both; the web player animates the second.

Choosing a practice (when the person has not picked one) weighs, in this order of strength: the
goal's order in goals.toml, what helped this person before (their mean calm change), how well the
practice's natural length fits the minutes asked for, and two safety rules: no practice about the
body for people who asked for no mention of it, and no breath holds when the check-in says the
person is anxious or overwhelmed (holds can set off panic; every such practice says so).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from steadymind.features.practice.catalogue import (
    MAX_MINUTES,
    MIN_MINUTES,
    Goal,
    GoalBook,
    Pattern,
    Practice,
    Step,
    catalogue,
    goal_book,
)

Experience = Literal["new", "some", "regular"]
Pace = Literal["slow", "normal"]
Background = Literal["none", "rain", "brown"]
Phase = Literal["in", "in_top", "hold", "out", "hold_out"]
# Feelings under which a breath hold is more likely to feel like suffocation than calm.
AROUSED = frozenset({"anxious", "stressed", "overwhelmed", "nervous", "scared", "restless"})
# Seconds a spoken word takes (espeak-ng at the rates in audio.py, with room to spare).
SECONDS_PER_WORD = {"normal": 0.42, "slow": 0.52}
# Breaths whose phases are spoken, by experience; after them the pacer (and a soft tone) leads.
SPOKEN_BREATHS = {"new": 4, "some": 2, "regular": 1}
# Pauses stretch at most this much to fill a longer session; beyond it, quiet at the end.
MAX_STRETCH = 3.0
MIN_PAUSE = 2.0


class CheckInState(BaseModel):
    """The numbers of the person's latest check-in (none: nothing is assumed)."""

    model_config = ConfigDict(frozen=True)
    mood: int | None = Field(default=None, ge=-5, le=5)
    energy: int | None = Field(default=None, ge=-5, le=5)
    emotions: tuple[str, ...] = ()


class Preferences(BaseModel):
    model_config = ConfigDict(frozen=True)
    voice: str = Field(default="en", pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]+)?$")
    pace: Pace = "normal"
    background: Background = "none"
    no_body: bool = False


class Wording(BaseModel):
    """Lines of a script in the optional language model's words, kept with the session so that
    replaying it gives the same words (``rewording.py`` makes it; only lines that passed every
    check are here). ``by`` names the model and prompt; ``kept`` counts why other lines kept
    their reviewed words (reasons, never text)."""

    model_config = ConfigDict(frozen=True)
    by: str = Field(min_length=1, max_length=200)
    lines: dict[str, str] = Field(default_factory=dict)
    kept: dict[str, int] = Field(default_factory=dict)


class Request(BaseModel):
    """What the composer is asked for. ``practice`` None: the composer offers one."""

    model_config = ConfigDict(frozen=True)
    goal: Goal = "calm"
    minutes: int = Field(default=5, ge=MIN_MINUTES, le=MAX_MINUTES)
    practice: str | None = None
    checkin: CheckInState = CheckInState()
    experience: Experience = "some"
    prefs: Preferences = Preferences()
    # Practice id -> the person's mean calm change (after - before) over their rated sessions.
    helped: dict[str, float] = Field(default_factory=dict)
    # The person's own resonance rate (breaths a minute) from a scan, for resonance breathing.
    resonance_bpm: float | None = Field(default=None, ge=3.0, le=8.0)
    # None: the reviewed words as written (the default).
    wording: Wording | None = None


@dataclass(frozen=True)
class Said:
    start: float
    text: str
    seconds: float  # the time it is expected to take
    # Whether the language model may reword it: not a breathing cue, a caution or a line the
    # composer adds for a hard moment.
    rewordable: bool = False


@dataclass(frozen=True)
class Breath:
    start: float
    phase: Phase
    seconds: float


@dataclass(frozen=True)
class Offer:
    practice: Practice
    score: float
    reasons: tuple[str, ...]


@dataclass
class Script:
    practice: Practice
    request: Request
    seconds: float
    voice: list[Said] = field(default_factory=list)
    breaths: list[Breath] = field(default_factory=list)
    pattern: Pattern | None = None
    reasons: tuple[str, ...] = ()

    @property
    def minutes(self) -> float:
        return self.seconds / 60

    def text(self) -> str:
        return "\n".join(s.text for s in self.voice)

    @property
    def worded_by(self) -> str | None:
        """The model and prompt that reworded some lines, or None (the reviewed words)."""
        wording = self.request.wording
        return None if wording is None or not wording.lines else wording.by

    def as_json(self) -> dict[str, Any]:
        return {
            "practice": self.practice.id,
            "title": self.practice.title,
            "goal": self.request.goal,
            "seconds": round(self.seconds, 2),
            "pattern": None if self.pattern is None else self.pattern.model_dump(),
            "voice": [
                {"start": round(s.start, 2), "seconds": round(s.seconds, 2), "text": s.text}
                for s in self.voice
            ],
            "breaths": [
                {"start": round(b.start, 2), "seconds": round(b.seconds, 2), "phase": b.phase}
                for b in self.breaths
            ],
            "reasons": list(self.reasons),
            "worded_by": self.worded_by,
            "params": self.request.model_dump(mode="json"),
        }


# -- choosing -----------------------------------------------------------------------------------


def aroused(checkin: CheckInState) -> bool:
    """Anxious, overwhelmed and the like, or very unpleasant with high energy."""
    high_and_low = (checkin.energy or 0) >= 3 and (checkin.mood or 0) <= -2
    return bool(AROUSED & set(checkin.emotions)) or high_and_low


def offers(request: Request, book: GoalBook | None = None) -> list[Offer]:
    """The practices for the request's goal, best first, each with why in plain words."""
    book = book or goal_book()
    practices = catalogue()
    order = book.order[request.goal]
    found = []
    for rank, pid in enumerate(order):
        practice = practices[pid]
        if request.prefs.no_body and practice.body_focus:
            continue
        if practice.holds and aroused(request.checkin):
            continue
        found.append(_weigh(practice, rank, request))
    return sorted(found, key=lambda o: (-o.score, o.practice.id))


def _weigh(practice: Practice, rank: int, request: Request) -> Offer:
    reasons = []
    score = -0.5 * rank
    change = request.helped.get(practice.id)
    if change is not None:
        score += change
        if change > 0:
            reasons.append(f"It has helped you before (calm up {change:+.1f} on average).")
    fit = abs(math.log(request.minutes / practice.minutes))
    score -= 0.6 * fit
    if not practice.holds and aroused(request.checkin):
        reasons.append("It has no breath holds, which can feel hard when you are on edge.")
    if fit < 0.7:
        reasons.append(f"It suits {request.minutes} minute{'s' if request.minutes != 1 else ''}.")
    return Offer(practice, round(score, 6), tuple(reasons))


def choose(request: Request) -> Offer:
    if request.practice is not None:
        practice = catalogue().get(request.practice)
        if practice is None:
            raise KeyError(request.practice)
        return Offer(practice, 0.0, ())
    found = offers(request)
    if not found:  # every practice of the goal was ruled out: the gentlest breathing one
        return Offer(catalogue()["extended-exhale"], 0.0, ("It is gentle and has no holds.",))
    return found[0]


# -- composing -----------------------------------------------------------------------------------


def compose(request: Request, book: GoalBook | None = None) -> Script:
    """The timed script for ``request``: about ``minutes`` long (a one-minute session runs a
    little over when the words need it)."""
    book = book or goal_book()
    offer = choose(request)
    practice = offer.practice
    writer = _Writer(request, practice, book)
    target = request.minutes * 60.0
    brief = request.minutes <= 2
    writer.opening(brief)
    close_steps = _close_steps(practice, request.goal, brief)
    close_time = sum(writer.step_seconds(s) for s in close_steps)
    close_time += writer.estimate(book.words[request.goal].closing)
    core_time = max(target - writer.t - close_time, 20.0)
    if practice.pattern is not None:
        writer.paced(practice, _pattern(practice, request), core_time)
    else:
        writer.guided(practice, core_time)
    for step in close_steps:
        writer.step(step)
    writer.say(book.words[request.goal].closing, reword=True)
    writer.t = max(writer.t, target)
    return Script(
        practice=practice,
        request=request,
        seconds=round(writer.t, 2),
        voice=_worded(writer.voice, request),
        breaths=writer.breaths,
        pattern=writer.pattern,
        reasons=offer.reasons,
    )


def _worded(voice: list[Said], request: Request) -> list[Said]:
    """The voice track with the request's rewordings in place of the lines they stand for: the
    same start and length, and only where the line may be reworded and the new words still keep
    its numbers and instructions (checked again here, whatever the stored session says)."""
    wording = request.wording
    if wording is None or not wording.lines:
        return voice
    from steadymind.features.practice.rewording import fault

    out = []
    for said in voice:
        new = wording.lines.get(said.text) if said.rewordable else None
        if new is not None and fault(said.text, new) is None:
            said = Said(said.start, new, said.seconds, rewordable=True)
        out.append(said)
    return out


def _pattern(practice: Practice, request: Request) -> Pattern:
    assert practice.pattern is not None
    if practice.id == "resonance" and request.resonance_bpm is not None:
        # The person's own rate from a scan: in for 40% of the breath, out for 60%.
        cycle = 60.0 / request.resonance_bpm
        return Pattern(inhale=round(cycle * 0.4, 2), exhale=round(cycle * 0.6, 2))
    return practice.pattern


def _close_steps(practice: Practice, goal: Goal, brief: bool) -> list[Step]:
    steps = practice.steps_of("close")
    if brief:
        return []
    # Going to sleep: no "come back" at the end, only the first, quiet closing line.
    return steps[:1] if goal == "sleep" else steps


class _Writer:
    """Lays the voice and breath tracks down on a clock, ``t`` seconds from the start."""

    def __init__(self, request: Request, practice: Practice, book: GoalBook) -> None:
        self.request = request
        self.practice = practice
        self.book = book
        self.no_body = request.prefs.no_body
        self.per_word = SECONDS_PER_WORD[request.prefs.pace]
        self.t = 0.0
        self.voice: list[Said] = []
        self.breaths: list[Breath] = []
        self.pattern: Pattern | None = None

    def estimate(self, text: str) -> float:
        return round(len(text.split()) * self.per_word + 0.6, 2)

    def step_seconds(self, step: Step) -> float:
        return self.estimate(step.words(no_body=self.no_body)) + step.pause

    def say(self, text: str, pause: float = 0.0, *, reword: bool = False) -> None:
        seconds = self.estimate(text)
        self.voice.append(Said(round(self.t, 2), text, seconds, rewordable=reword))
        self.t += seconds + pause

    def step(self, step: Step, pause: float | None = None) -> None:
        pause = step.pause if pause is None else pause
        self.say(step.words(no_body=self.no_body), pause, reword=not step.verbatim)

    def opening(self, brief: bool) -> None:
        intro = self.practice.steps_of("intro")
        checkin = self.request.checkin
        if brief:
            self.step(intro[0], 1.0)
            return
        self.say(self.book.words[self.request.goal].opening, 1.0, reword=True)
        if checkin.mood is not None and checkin.mood <= -3:
            self.say(self.book.lines.heavy_day, 1.0)
        elif aroused(checkin):
            self.say(self.book.lines.restless, 1.0)
        for step in intro:
            self.step(step)

    def paced(self, practice: Practice, pattern: Pattern, core_time: float) -> None:
        """Breath after breath for ``core_time``; the phases are spoken over the first few, and
        the core lines over breaths spread evenly through the rest."""
        self.pattern = pattern
        lines = self.book.lines
        cues: dict[Phase, str] = {
            "in": lines.in_, "in_top": lines.in_top, "hold": lines.hold, "out": lines.out,
            "hold_out": lines.hold,
        }  # fmt: skip
        count = max(int(core_time // pattern.seconds), 1)
        spoken = min(SPOKEN_BREATHS[self.request.experience], count)
        guidance = self._guidance(practice)
        slots = _spread(len(guidance), spoken, count)
        start = self.t
        for n in range(count):
            line = guidance[slots.index(n)] if n in slots else None
            at = start + n * pattern.seconds
            if line is not None:
                text = line.words(no_body=self.no_body)
                said = Said(round(at, 2), text, self.estimate(text), not line.verbatim)
                self.voice.append(said)
            for phase, seconds in _phases(pattern):
                if n < spoken:
                    self.voice.append(Said(round(at, 2), cues[phase], min(seconds, 1.2)))
                self.breaths.append(Breath(round(at, 2), phase, seconds))
                at += seconds
        self.t = start + count * pattern.seconds + 1.0

    def _guidance(self, practice: Practice) -> list[Step]:
        lines = practice.steps_of("core")
        # A regular practiser hears fewer words: every other line.
        return lines[::2] if self.request.experience == "regular" else lines

    def guided(self, practice: Practice, core_time: float) -> None:
        """The core steps with their pauses stretched (or shrunk) to fill ``core_time``; steps
        are dropped evenly when even the shortest pauses do not fit, and quiet fills what the
        stretched pauses cannot."""
        steps = practice.steps_of("core")
        speech = [self.estimate(s.words(no_body=self.no_body)) for s in steps]
        while len(steps) > 2 and sum(speech) + MIN_PAUSE * len(steps) > core_time:
            keep = _spread(len(steps) - 1, 0, len(steps))
            steps, speech = [steps[i] for i in keep], [speech[i] for i in keep]
        pauses = [s.pause for s in steps]
        room = core_time - sum(speech)
        stretch = min(room / sum(pauses), MAX_STRETCH) if sum(pauses) else 1.0
        if self.request.experience == "new":
            stretch = min(stretch, 2.0)
        end = self.t + core_time
        for step, pause in zip(steps, pauses, strict=True):
            self.step(step, max(pause * stretch, MIN_PAUSE))
        if end - self.t > 30:
            self.say(self.book.lines.rest, reword=True)
        self.t = max(self.t, end)


def _phases(pattern: Pattern) -> list[tuple[Phase, float]]:
    phases: list[tuple[Phase, float]] = [
        ("in", pattern.inhale), ("in_top", pattern.inhale_top), ("hold", pattern.hold_in),
        ("out", pattern.exhale), ("hold_out", pattern.hold_out),
    ]  # fmt: skip
    return [(p, s) for p, s in phases if s > 0]


def _spread(k: int, first: int, stop: int) -> list[int]:
    """``k`` indices spread evenly over [first, stop), in order (fewer if there is no room)."""
    span = stop - first
    if k <= 0 or span <= 0:
        return []
    k = min(k, span)
    return sorted({first + (i * span) // k + span // (2 * k) for i in range(k)})
