"""Guided flows as data: one TOML file per flow in ``companion/flows/``, found by listing.

A flow file holds everything the flow says (reviewed as one piece of copy) and its steps::

    id = "thought-record"
    title = "Thought record"
    summary = "..."          # one line for lists
    offer = "..."            # how free talk offers it (a question)
    minutes = 5
    fits = ["distorted"]     # what in free talk makes it fit (see ``talk.FIT_ORDER``)
    rank = 1                 # among flows that fit alike, the lower is offered first
    copy = "2026-11-30.1"    # version of the words, recorded with each session

    [[steps]]
    id = "thought"
    kind = "text"            # text | scale | choice | traps | summary
    say = "What went through your mind?"

Words may name earlier answers in braces (``{thought}``); a choice answer reads as its label. A
step with ``when = "<step id>:<option id>"`` runs only after that answer. Adding a flow is adding a
file: :func:`registry` finds it, and the tests walk every flow end to end.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, cast, get_args

StepKind = Literal["text", "scale", "choice", "traps", "summary"]
STEP_KINDS: frozenset[str] = frozenset(get_args(StepKind))
# What a finished flow may hand to the rest of the app (the feature carries them out):
# "journal" offers to save the record as a journal entry, "tag" makes an answer a check-in tag,
# "follow-up" schedules the flow named by ``follow_up`` (a behavioural-activation check).
ACTIONS = frozenset({"journal", "tag", "follow-up"})


class FlowError(ValueError):
    """A flow file that does not hold together (found when the registry loads)."""


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    # Other ways a person may answer ("yes", "y", "I did"): matched whole, case-insensitive.
    words: tuple[str, ...] = ()
    # For a "when" choice: days from today to the follow-up.
    days: int | None = None


@dataclass(frozen=True)
class Step:
    id: str
    kind: StepKind
    say: str
    # Words shown before the question the first time (what this step is for).
    lead: str = ""
    # Said when an answer cannot be read (a scale out of range, an unknown choice).
    hint: str = ""
    options: tuple[Option, ...] = ()
    low: int = 0
    high: int = 100
    # traps: the answer the detector reads, and what to say when it finds one or none.
    of: str = ""
    found: str = ""
    none: str = ""
    when: str = ""
    optional: bool = False

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    summary: str
    offer: str
    minutes: int
    copy: str
    steps: tuple[Step, ...]
    fits: tuple[str, ...] = ()
    rank: int = 5
    actions: tuple[str, ...] = ()
    # The flow a "follow-up" action schedules, and the answers it carries over.
    follow_up: str = ""
    carry: tuple[str, ...] = ()
    # Only reached as a follow-up, never offered or listed to start.
    hidden: bool = False
    # The answer that becomes a check-in tag ("tag"), and the scale answer recorded as the mood of
    # a check-in with that tag when the flow ends (behavioural activation: before and after).
    tag_from: str = ""
    checkin_from: str = ""
    journal_title: str = ""

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)


def _names(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _option(raw: Mapping[str, Any]) -> Option:
    return Option(
        id=str(raw["id"]),
        label=str(raw["label"]),
        words=tuple(str(w).lower() for w in raw.get("words", ())),
        days=raw.get("days"),
    )


def _step(raw: Mapping[str, Any]) -> Step:
    kind = str(raw.get("kind", "text"))
    if kind not in STEP_KINDS:
        raise FlowError(f"step {raw.get('id')!r}: unknown kind {kind!r}")
    return Step(
        id=str(raw["id"]),
        kind=cast(StepKind, kind),
        say=str(raw["say"]),
        lead=str(raw.get("lead", "")),
        hint=str(raw.get("hint", "")),
        options=tuple(_option(o) for o in raw.get("options", ())),
        low=int(raw.get("low", 0)),
        high=int(raw.get("high", 100)),
        of=str(raw.get("of", "")),
        found=str(raw.get("found", "")),
        none=str(raw.get("none", "")),
        when=str(raw.get("when", "")),
        optional=bool(raw.get("optional", False)),
    )


# Names every template may use besides earlier answers.
BUILTIN_NAMES = frozenset({"traps", "trap_names"})


def _check(flow: Flow, carried: frozenset[str]) -> None:
    seen: set[str] = set(carried)
    for step in flow.steps:
        if step.id in seen:
            raise FlowError(f"{flow.id}: step id {step.id!r} is used twice")
        for text in (step.say, step.lead, step.hint, step.found, step.none):
            unknown = _names(text) - seen - BUILTIN_NAMES
            if unknown:
                raise FlowError(f"{flow.id}/{step.id}: names {sorted(unknown)} before they exist")
        if step.kind == "choice" and not step.options:
            raise FlowError(f"{flow.id}/{step.id}: a choice needs options")
        if step.kind == "traps" and step.of not in seen:
            raise FlowError(f"{flow.id}/{step.id}: reads {step.of!r}, which no step asked")
        if step.kind == "scale" and not step.low < step.high:
            raise FlowError(f"{flow.id}/{step.id}: a scale needs low < high")
        if step.when:
            target, _, option = step.when.partition(":")
            if target not in seen or not any(o.id == option for o in flow.step(target).options):
                raise FlowError(f"{flow.id}/{step.id}: 'when' names no earlier option")
        seen.add(step.id)
    if flow.steps[-1].kind != "summary":
        raise FlowError(f"{flow.id}: the last step is the summary")
    if not set(flow.actions) <= ACTIONS:
        raise FlowError(f"{flow.id}: unknown actions {sorted(set(flow.actions) - ACTIONS)}")
    if "follow-up" in flow.actions and not flow.follow_up:
        raise FlowError(f"{flow.id}: a follow-up action names no flow")
    if "tag" in flow.actions and flow.tag_from not in seen:
        raise FlowError(f"{flow.id}: 'tag_from' names no step")
    if flow.checkin_from and flow.checkin_from not in seen:
        raise FlowError(f"{flow.id}: 'checkin_from' names no step")
    missing = set(flow.carry) - seen
    if missing:
        raise FlowError(f"{flow.id}: carries {sorted(missing)}, which no step asked")


def parse_flow(text: str, *, carried: frozenset[str] = frozenset()) -> Flow:
    """One flow from its TOML text (checked: see :func:`_check`)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FlowError(f"not valid TOML: {exc}") from None
    try:
        flow = Flow(
            id=str(raw["id"]),
            title=str(raw["title"]),
            summary=str(raw["summary"]),
            offer=str(raw.get("offer", "")),
            minutes=int(raw.get("minutes", 5)),
            copy=str(raw["copy"]),
            steps=tuple(_step(s) for s in raw["steps"]),
            fits=tuple(str(f) for f in raw.get("fits", ())),
            rank=int(raw.get("rank", 5)),
            actions=tuple(str(a) for a in raw.get("actions", ())),
            follow_up=str(raw.get("follow_up", "")),
            carry=tuple(str(c) for c in raw.get("carry", ())),
            hidden=bool(raw.get("hidden", False)),
            tag_from=str(raw.get("tag_from", "")),
            checkin_from=str(raw.get("checkin_from", "")),
            journal_title=str(raw.get("journal_title", raw["title"])),
        )
    except KeyError as exc:
        raise FlowError(f"missing field {exc.args[0]!r}") from None
    if not flow.steps:
        raise FlowError(f"{flow.id}: no steps")
    _check(flow, carried)
    return flow


@cache
def registry() -> dict[str, Flow]:
    """Every flow shipped in ``companion/flows/``, by id (loaded and checked once)."""
    texts = {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in resources.files("steadymind.companion").joinpath("flows").iterdir()
        if entry.name.endswith(".toml")
    }
    flows: dict[str, Flow] = {}
    # Follow-ups read answers carried from the flow that scheduled them: load those after.
    pending = sorted(texts.items())
    carried_by: dict[str, frozenset[str]] = {}
    for _name, text in pending:
        head = tomllib.loads(text)
        if head.get("follow_up"):
            carried_by[str(head["follow_up"])] = frozenset(str(c) for c in head.get("carry", ()))
    for name, text in pending:
        head_id = str(tomllib.loads(text).get("id", ""))
        try:
            flow = parse_flow(text, carried=carried_by.get(head_id, frozenset()))
        except FlowError as exc:
            raise FlowError(f"{name}: {exc}") from None
        if flow.id in flows:
            raise FlowError(f"{name}: flow id {flow.id!r} is used twice")
        flows[flow.id] = flow
    for flow in flows.values():
        if flow.follow_up and flow.follow_up not in flows:
            raise FlowError(f"{flow.id}: follow-up {flow.follow_up!r} is not a flow")
    return flows


def offered() -> list[Flow]:
    """The flows a person may start (follow-ups are reached only from their flow), in the
    order they are offered."""
    return sorted((f for f in registry().values() if not f.hidden), key=lambda f: (f.rank, f.id))
