"""The deterministic companion: one screened turn in, one reply out.

    engine = Companion()
    state = engine.new_state()
    reply = engine.open(state)                      # a greeting (or a due follow-up)
    reply = engine.turn(state, text, emotions=[...]) # after the text seam let the turn go on

``state`` is a JSON-ready dict the caller keeps (sealed: it holds the person's answers) and
passes back on the next turn; a conversation resumes after a restart from it alone. The engine
never sees a turn the seam stopped: at ``elevated`` the surface asks its question and at
``high`` shows the crisis response, and no reply is generated for that turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from steadymind.companion import words
from steadymind.companion.registry import Flow, Step, registry
from steadymind.companion.talk import (
    FIT_ORDER,
    Heard,
    Phrases,
    TalkCopy,
    content_words,
    fill,
    hear,
    join_words,
    talk_copy,
)
from steadymind.companion.traps import TrapReading, explanations

STATE_VERSION = 1
# Talk turns before the first offer, and between any two: listening comes first.
OFFER_AFTER, OFFER_GAP = 2, 6
# A summary every so many talk turns, when there is something to sum up.
SUMMARY_EVERY = 6
# How many of the detector's traps a flow explains at once.
EXPLAIN_TRAPS = 2
MISSING = "—"

Expects = Literal["talk", "text", "scale", "choice"]
Detector = Callable[[list[str]], list[TrapReading]]


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class Finished:
    """A flow that ended on this turn: what the feature may do with it (journal, tag, follow-up,
    a check-in with the mood answer), only ever with the person's say-so in the interface."""

    flow: str
    title: str
    copy: str
    summary: str
    answers: Mapping[str, Any]
    actions: tuple[str, ...]
    journal_title: str
    tag: str | None = None
    checkin_mood: int | None = None
    follow_up: str | None = None
    follow_up_days: int | None = None
    carried: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    text: str
    expects: Expects = "talk"
    choices: tuple[Choice, ...] = ()
    scale: tuple[int, int] | None = None
    flow: str | None = None
    step: str | None = None
    finished: Finished | None = None
    # A memory item the person asked the companion to keep (the feature stores it).
    remember: str | None = None
    # The flow offered on this turn (a yes starts it).
    offer: str | None = None


def _display(step: Step | None, value: Any) -> str:
    if value is None or value == "":
        return MISSING
    if step is not None and step.kind == "choice":
        return next((o.label for o in step.options if o.id == value), str(value))
    if isinstance(value, int) and step is not None and step.kind == "scale" and step.low < 0:
        return f"{value:+d}" if value else "0"
    return str(value)


class Companion:
    """The default engine. ``detect`` reads thinking traps (the shipped detector unless a
    caller passes another); ``flows`` is the registry of guided flows."""

    def __init__(
        self,
        detect: Detector | None = None,
        flows: Mapping[str, Flow] | None = None,
        copy: TalkCopy | None = None,
    ) -> None:
        self._detect = detect
        self.flows = dict(flows) if flows is not None else registry()
        self.copy = copy or talk_copy()

    def detect(self, texts: list[str]) -> list[TrapReading]:
        if self._detect is None:
            from steadymind.companion.traps import detect

            self._detect = detect
        return self._detect(texts)

    # -- state ----------------------------------------------------------------------------

    @staticmethod
    def new_state() -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "turn": 0,
            "talk_turns": 0,
            "flow": None,
            "paused": None,
            "offer": None,
            "offered": {},
            "declined": [],
            "used": [],
            "topics": [],
            "feelings": [],
            "recalled": [],
        }

    # -- opening --------------------------------------------------------------------------

    def open(
        self,
        state: dict[str, Any],
        *,
        returning: bool = False,
        start: str | None = None,
        follow_up: tuple[str, Mapping[str, Any]] | None = None,
    ) -> Reply:
        """The first words of a session: a due follow-up, a flow the person chose, or hello."""
        phrases = self._phrases(state)
        if follow_up is not None:
            flow_id, carried = follow_up
            return self._start(state, self.flows[flow_id], dict(carried))
        if start is not None:
            return self._start(state, self._flow(start), {})
        greeting = phrases.pick("greet_again" if returning else "greet")
        state["used"] = phrases.used
        return Reply(greeting)

    def start(self, state: dict[str, Any], flow_id: str) -> Reply:
        """Begin a flow now (the person chose it from a list)."""
        state["offer"] = None
        return self._start(state, self._flow(flow_id), {})

    def _flow(self, flow_id: str) -> Flow:
        flow = self.flows.get(flow_id)
        if flow is None or flow.hidden:
            raise KeyError(flow_id)
        return flow

    # -- a turn ---------------------------------------------------------------------------

    def turn(
        self,
        state: dict[str, Any],
        text: str,
        *,
        emotions: Sequence[str] = (),
        memory: Sequence[str] = (),
    ) -> Reply:
        """Answer one turn the seam let go on. ``emotions``: the feeling words the emotion model
        read in it (empty when suggestions are off); ``memory``: what the person asked the
        companion to remember."""
        state["turn"] = int(state.get("turn", 0)) + 1
        command = words.command(text)
        if state.get("flow") is not None:
            if command == "stop":
                state["paused"], state["flow"] = state["flow"], None
                return Reply(self.copy.line("pause"))
            return self._answer(state, text, skip=command == "skip")
        if command == "continue":
            return self._resume(state)
        pending = state.get("offer")
        if pending is not None:
            state["offer"] = None
            said = words.yes_no(text)
            if said is True:
                return self._start(state, self.flows[pending], {})
            state.setdefault("declined", []).append(pending)
            if said is False:
                phrases = self._phrases(state)
                reply = phrases.pick("declined") + " " + phrases.pick("invite")
                state["used"] = phrases.used
                return Reply(reply)
        return self._talk(state, text, emotions, memory)

    def _resume(self, state: dict[str, Any]) -> Reply:
        paused = state.get("paused")
        if paused is None:
            return Reply(self.copy.line("nothing_paused"))
        state["flow"], state["paused"] = paused, None
        flow = self.flows[paused["id"]]
        reply = self._ask(state, flow, flow.steps[int(paused["at"])], first=False)
        return Reply(self.copy.line("resume") + "\n\n" + reply.text, **_rest(reply))

    # -- free talk ------------------------------------------------------------------------

    def _talk(
        self, state: dict[str, Any], text: str, emotions: Sequence[str], memory: Sequence[str]
    ) -> Reply:
        state["talk_turns"] = int(state.get("talk_turns", 0)) + 1
        reading = self.detect([text])[0] if text.strip() else None
        heard = hear(text, emotions, distorted=bool(reading and reading.distorted))
        self._keep(state, heard)
        phrases = self._phrases(state)
        if heard.remember:
            kept = [phrases.pick("remembered", item=heard.remember), phrases.pick("invite")]
            state["used"] = phrases.used
            return Reply(" ".join(kept), remember=heard.remember)
        parts: list[str] = []
        talk_turns = int(state["talk_turns"])
        if talk_turns % SUMMARY_EVERY == 0 and state["topics"] and state["feelings"]:
            parts.append(
                phrases.pick(
                    "summary",
                    topics=join_words(state["topics"][-3:]),
                    feelings=join_words(state["feelings"][-3:]),
                )
            )
            state["used"] = phrases.used
            return Reply(" ".join(parts))
        parts.append(self._reflect(phrases, heard, talk_turns))
        if heard.effort:
            parts.append(phrases.pick("affirm"))
        recall = self._recall(state, phrases, text, memory)
        if recall:
            parts.append(recall)
        offer = self._offer(state, phrases, heard)
        if offer is not None:
            parts.append(offer.offer)
        elif heard.short:
            parts.append(phrases.pick("invite"))
        else:
            parts.append(self._question(phrases, reading))
        state["used"] = phrases.used
        return Reply(" ".join(p for p in parts if p), offer=offer.id if offer else None)

    @staticmethod
    def _question(phrases: Phrases, reading: TrapReading | None) -> str:
        """A trap's own question when a thought seems caught in one (each at most once within
        the no-repeat window: a troubled conversation reads the same trap turn after turn),
        else an open question."""
        for trap in reading.traps if reading is not None and reading.distorted else []:
            key = f"trap-ask:{trap}"
            if not phrases.was_used(key):
                phrases.mark(key)
                return explanations()[trap].ask
        return phrases.pick("question")

    @staticmethod
    def _keep(state: dict[str, Any], heard: Heard) -> None:
        for key, found in (("topics", heard.topics), ("feelings", heard.feelings)):
            kept = [x for x in state.get(key, []) if x not in found] + list(found)
            state[key] = kept[-6:]

    @staticmethod
    def _reflect(phrases: Phrases, heard: Heard, turn: int) -> str:
        if heard.short and not heard.feelings:
            return ""
        # A feeling the person named comes first; otherwise alternate feeling and content when
        # both are there, so reflections do not drone.
        if heard.feelings and (heard.named or not heard.topics or turn % 2 == 0):
            return phrases.pick("reflect_feeling", feeling=heard.feelings[0])
        if heard.topics:
            return phrases.pick("reflect_topic", topic=heard.topics[0])
        return phrases.pick("reflect_plain")

    def _recall(
        self, state: dict[str, Any], phrases: Phrases, text: str, memory: Sequence[str]
    ) -> str:
        """Bring back one thing the person asked to be remembered, when this turn touches it
        (shared content words), at most once per item in 20 turns."""
        said = content_words(text)
        recalled = {str(k) for k in state.get("recalled", [])}
        for item in memory:
            key = re.sub(r"\W+", " ", item.lower()).strip()[:40]
            if key in recalled or not (said & content_words(item)):
                continue
            if phrases.was_used(f"recall-item:{key}"):
                continue
            phrases.mark(f"recall-item:{key}")
            return phrases.pick("recall", item=item)
        return ""

    def _offer(self, state: dict[str, Any], phrases: Phrases, heard: Heard) -> Flow | None:
        """The flow that fits this turn, offered once, never pushed: not before a little
        listening, not twice in a row, never again in a session once declined."""
        talk_turns = int(state["talk_turns"])
        offered: dict[str, int] = state.setdefault("offered", {})
        if talk_turns <= OFFER_AFTER and "overwhelmed" not in heard.fits:
            return None
        if offered and talk_turns - max(offered.values()) < OFFER_GAP:
            return None
        declined = set(state.get("declined", []))
        for fit in sorted(heard.fits, key=FIT_ORDER.index):
            for flow in sorted(self.flows.values(), key=lambda f: (f.rank, f.id)):
                if flow.hidden or fit not in flow.fits or flow.id in declined:
                    continue
                if phrases.was_used(f"offer:{flow.id}"):
                    continue
                offered[flow.id] = talk_turns
                state["offer"] = flow.id
                phrases.mark(f"offer:{flow.id}")
                return flow
        return None

    # -- flows ----------------------------------------------------------------------------

    def _start(self, state: dict[str, Any], flow: Flow, carried: dict[str, Any]) -> Reply:
        state["flow"] = {"id": flow.id, "at": 0, "answers": carried, "tries": 0}
        state["paused"] = None
        at = self._next_index(flow, carried, -1)
        state["flow"]["at"] = at
        return self._ask(state, flow, flow.steps[at], first=True)

    def _ask(self, state: dict[str, Any], flow: Flow, step: Step, *, first: bool) -> Reply:
        values = self._values(flow, state["flow"]["answers"])
        text = fill(step.say, values)
        if step.kind == "traps":
            text = self._traps_text(state, flow, step) + "\n\n" + text
        if first and step.lead:
            text = fill(step.lead, values) + "\n\n" + text
        if step.kind == "summary":
            return self._finish(state, flow)
        if step.kind == "choice":
            options = tuple(Choice(o.id, o.label) for o in step.options)
            listed = "\n".join(f"{n}. {o.label}" for n, o in enumerate(step.options, 1))
            return Reply(text + "\n\n" + listed, "choice", options, flow=flow.id, step=step.id)
        if step.kind == "scale":
            return Reply(text, "scale", scale=(step.low, step.high), flow=flow.id, step=step.id)
        return Reply(text, "text", flow=flow.id, step=step.id)

    def _traps_text(self, state: dict[str, Any], flow: Flow, step: Step) -> str:
        answers = state["flow"]["answers"]
        thought = str(answers.get(step.of) or "")
        reading = self.detect([thought])[0] if thought.strip() else None
        found = list(reading.traps[:EXPLAIN_TRAPS]) if reading and reading.distorted else []
        answers["traps"] = ", ".join(found) if found else "none found"
        answers["trap_names"] = join_words(found)
        if not found:
            return fill(step.none, self._values(flow, answers))
        lines = [fill(step.found, self._values(flow, answers))]
        lines += [explanations()[name].explain_sentence for name in found]
        return "\n".join(lines)

    def _answer(self, state: dict[str, Any], text: str, *, skip: bool) -> Reply:
        running = state["flow"]
        flow = self.flows[running["id"]]
        step = flow.steps[int(running["at"])]
        value: Any
        if skip:
            value = ""
        elif step.kind == "scale":
            value = words.scale(text, step.low, step.high)
        elif step.kind == "choice":
            value = words.choice(text, [(o.id, o.label, o.words) for o in step.options])
        else:
            value = text.strip()
        if value is None or (value == "" and not skip):
            running["tries"] = int(running.get("tries", 0)) + 1
            again = self._ask(state, flow, step, first=False)
            hint = step.hint or self.copy.line("unclear")
            return Reply(hint + "\n\n" + again.text, **_rest(again))
        running["answers"][step.id] = value
        running["tries"] = 0
        prefix = self.copy.line("skip") + "\n\n" if skip else ""
        at = self._next_index(flow, running["answers"], int(running["at"]))
        running["at"] = at
        reply = self._ask(state, flow, flow.steps[at], first=True)
        return Reply(prefix + reply.text, **_rest(reply)) if prefix else reply

    @staticmethod
    def _next_index(flow: Flow, answers: Mapping[str, Any], at: int) -> int:
        for index in range(at + 1, len(flow.steps)):
            when = flow.steps[index].when
            if not when:
                return index
            target, _, option = when.partition(":")
            if answers.get(target) == option:
                return index
        return len(flow.steps) - 1

    def _values(self, flow: Flow, answers: Mapping[str, Any]) -> dict[str, str]:
        steps = {s.id: s for s in flow.steps}
        # A step on a branch that was not taken reads as nothing; a skipped one as a dash.
        values = {
            s.id: "" if s.when and not _taken(s.when, answers) else MISSING for s in flow.steps
        }
        for key, value in answers.items():
            values[key] = _display(steps.get(key), value)
        values["traps"] = str(answers.get("traps", MISSING))
        values["trap_names"] = str(answers.get("trap_names", ""))
        return values

    def _finish(self, state: dict[str, Any], flow: Flow) -> Reply:
        answers = dict(state["flow"]["answers"])
        summary = fill(flow.steps[-1].say, self._values(flow, answers))
        days = None
        for step in flow.steps:
            if step.kind == "choice" and step.id in answers:
                chosen = next((o for o in step.options if o.id == answers[step.id]), None)
                if chosen is not None and chosen.days is not None:
                    days = chosen.days
        values = self._values(flow, answers)
        kinds = {s.id: s.kind for s in flow.steps}
        mood = answers.get(flow.checkin_from) if flow.checkin_from else None
        finished = Finished(
            flow=flow.id,
            title=flow.title,
            copy=flow.copy,
            summary=summary,
            answers=answers,
            actions=flow.actions,
            journal_title=flow.journal_title,
            tag=str(answers[flow.tag_from])
            if flow.tag_from and answers.get(flow.tag_from)
            else None,
            checkin_mood=mood if isinstance(mood, int) else None,
            follow_up=flow.follow_up or None,
            follow_up_days=days,
            # Choices and scales travel as they read ("tomorrow", "+1"), text as written.
            carried={k: answers.get(k) if kinds[k] == "text" else values[k] for k in flow.carry},
        )
        state["flow"] = None
        return Reply(summary + "\n\n" + self.copy.line("flow_done"), finished=finished)

    def _phrases(self, state: dict[str, Any]) -> Phrases:
        return Phrases(self.copy, list(state.get("used", [])), int(state.get("turn", 0)))


def _taken(when: str, answers: Mapping[str, Any]) -> bool:
    target, _, option = when.partition(":")
    return answers.get(target) == option


def _rest(reply: Reply) -> dict[str, Any]:
    """A reply's fields other than its text (to put words in front of it)."""
    return {
        "expects": reply.expects,
        "choices": reply.choices,
        "scale": reply.scale,
        "flow": reply.flow,
        "step": reply.step,
        "finished": reply.finished,
    }
