"""THE text seam: every piece of text a person writes passes here before anything reacts to it.

    screened = seam.screen({"note": note}, surface="checkin-note", owner=principal)
    screened.verdict           # None when there was nothing to read
    sealed = screened.seal(principal.cipher(), "checkins", row_id)

What passing the seam means (each has a test in tests/test_screen.py):

- the crisis gate reads the text first, with the context its *surface* declares: the person's
  own recent writing (check-in notes and journal entries of the last day), messages the caller
  gives (a conversation), or none;
- the emotion model reads it only when the gate lets the flow go on (below ``elevated``);
- at ``elevated`` and above the verdict carries the reviewed crisis response for the person's
  country with their own safety plan, built here once, so every interface renders the same thing;
- when the gate itself fails, the verdict fails closed (``elevated``); when the emotion model
  fails, the text goes on without suggestions;
- a :class:`Screened` value can be made only here, and it is the only thing that turns a
  person's text into stored ciphertext (:meth:`Screened.seal`). Services take it, so a new
  surface that skips the seam does not type-check, and a test finds any other ``encrypt`` call.

Surfaces are registered by the features that own them (``register_surface``), like their
sources of recent writing (``register_context``) and the person's plan (``set_plan_source``), so
the seam knows no feature. The person's text is never logged here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, runtime_checkable

from steadymind.affect.vocabulary import vocabulary_words
from steadymind.core.clock import Clock
from steadymind.core.errors import Conflict, ValidationError
from steadymind.crypto.principal import Principal
from steadymind.crypto.vault import FieldCipher
from steadymind.safety.copy import COPY_VERSION
from steadymind.safety.plan import SafetyPlan
from steadymind.safety.policy import CrisisResponse, crisis_response
from steadymind.safety.types import Category, RiskAssessment, RiskLevel
from steadymind.safety.types import Surface as GateReading

if TYPE_CHECKING:
    # Only the type: importing the model's module loads onnxruntime, which a process that
    # never reads emotions (or forks, as the crash-loop test does) should not pay for.
    from steadymind.affect.text import EmotionReading

log = logging.getLogger(__name__)

# The person's own recent writing that counts as context: the last day, the last few texts.
CONTEXT_WINDOW = timedelta(hours=24)
CONTEXT_TEXTS = 3
# A long journal entry in the context is read from its end, where the writer stopped: the gate's
# context layer looks for distress that is *recent*, and the rules cost time per character.
CONTEXT_CHARS = 5_000
FAIL_CLOSED_ID = "fail-closed"
# 1: {"v", "safety", "emotions"}; 2 adds "action" (what the person was shown) and "answer" (their
# answer to the question, when asked). Both are read.
RECORD_VERSION = 2

# What the surface does with a verdict: go on; ask the question first (elevated without
# explicit evidence); or show the crisis response at once (high, or a second flagged text the
# same day). The person's answers to the question.
Action = Literal["continue", "ask", "crisis"]
Answer = Literal["yes", "not_sure", "no"]
ANSWERS: tuple[Answer, ...] = ("yes", "not_sure", "no")


class Assessor(Protocol):
    """The crisis gate (``steadymind.safety.gate.SafetyGate``) or a test's stand-in."""

    def assess(
        self, text: str, context: Sequence[str] | None = None, *, surface: GateReading = ...
    ) -> RiskAssessment: ...


@runtime_checkable
class BatchAssessor(Protocol):
    """A gate that can read many texts (with no context) at once, each exactly as ``assess``
    would (``SafetyGate.assess_many``)."""

    def assess_many(
        self, texts: Sequence[str], *, surface: GateReading = ...
    ) -> list[RiskAssessment]: ...


class EmotionReader(Protocol):
    def read(self, text: str) -> EmotionReading: ...


class Written(NamedTuple):
    """One text the person wrote recently, and whether its stored verdict stopped the flow."""

    at: datetime
    text: str
    flagged: bool = False


# The person's recent writing from one feature: what they wrote since ``since``, leaving out the
# row ``exclude`` (the one being rewritten).
RecentWriting = Callable[[Principal, datetime, str | None], list[Written]]
PlanSource = Callable[[Principal], SafetyPlan | None]
# Stores the person's answer beside the text it was about (a row of a feature); returns the
# stored record, so that the crisis response can name its categories.
AnswerSink = Callable[[Principal, str, dict[str, Any]], dict[str, Any]]
Reader = Callable[[Mapping[str, str | None]], str]


def join_parts(parts: Mapping[str, str | None]) -> str:
    """What the gate reads of a multi-part text (a title and a body): the non-blank parts."""
    return "\n".join(text for text in parts.values() if text is not None and text.strip())


@dataclass(frozen=True)
class Surface:
    """Where people write. ``context``: "recent" (their own last day of writing), "given" (the
    caller passes the conversation) or "none". ``reads``: how the gate reads the text (a safety
    plan item by item). ``reader``: the text the gate reads from the stored parts."""

    name: str
    context: Literal["recent", "given", "none"] = "recent"
    reads: GateReading = "message"
    reader: Reader = join_parts
    stored: bool = True
    # A surface that stores nothing takes text straight from a caller: it says how much it reads.
    max_chars: int | None = None
    # Whether the emotion model reads it to suggest feelings. An import of years of old notes
    # offers no one a suggestion to review: the gate reads every note, the model none.
    suggests: bool = True


@dataclass(frozen=True)
class Verdict:
    """What the seam found in one text; typed end to end and rendered once per interface."""

    surface: str
    assessment: RiskAssessment
    emotions: EmotionReading | None = None
    crisis: CrisisResponse | None = None
    action: Action = "continue"
    # A second flagged text within a day: not asked again, straight to the crisis response.
    repeated: bool = False

    @property
    def level(self) -> RiskLevel:
        return self.assessment.level

    @property
    def stops_flow(self) -> bool:
        """At elevated and above the normal flow stops and the crisis response is shown."""
        return self.assessment.needs_crisis_response

    @property
    def categories(self) -> list[str]:
        return sorted(c.value for c in self.assessment.categories)

    @property
    def suggested_emotions(self) -> list[str]:
        """The feelings the model read that are words a person can pick (neutral is none)."""
        return vocabulary_words(self.emotions.labels if self.emotions is not None else [])

    def __repr__(self) -> str:
        # The default would print the emotions read and the person's own plan into a log.
        return f"Verdict(surface={self.surface!r}, level={self.level.label})"

    def record(self) -> dict[str, Any]:
        """What is sealed beside the text (version 1 since the first check-in was stored)."""
        emotions = None if self.emotions is None else self.emotions.to_dict()
        return {
            "v": RECORD_VERSION,
            "safety": self.assessment.to_dict(),
            "emotions": emotions,
            "action": self.action,
            "answer": None,
        }


@dataclass(frozen=True)
class Sealed:
    """Ciphertexts of a screened text: one per part (None for an absent part) and its analysis."""

    parts: dict[str, bytes | None]
    analysis: bytes | None


_ISSUER = object()  # only this module holds it: a Screened made elsewhere refuses to exist


@dataclass(frozen=True)
class Screened:
    """A person's text that passed the seam, with the verdict on it."""

    surface: str
    parts: Mapping[str, str | None]
    verdict: Verdict | None
    issuer: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.issuer is not _ISSUER:
            raise TypeError("a Screened text is made only by steadymind.screen.TextSeam")

    def __repr__(self) -> str:
        # The default repr would print the person's words into logs and tracebacks.
        level = self.verdict.level.label if self.verdict else "unread"
        return f"Screened(surface={self.surface!r}, parts={sorted(self.parts)}, level={level})"

    def seal(self, cipher: FieldCipher, table: str, row_id: str) -> Sealed:
        """Encrypt every part into its column and the verdict beside it, bound to the row."""
        parts = {
            name: cipher.encrypt_optional(table, name, row_id, text)
            for name, text in self.parts.items()
        }
        analysis = None
        if self.verdict is not None:
            record = json.dumps(self.verdict.record(), ensure_ascii=False)
            analysis = cipher.encrypt(table, "analysis", row_id, record)
        return Sealed(parts, analysis)


def seal_composed(
    cipher: FieldCipher,
    table: str,
    row_id: str,
    parts: Mapping[str, str | None],
    record: Mapping[str, Any] | None = None,
) -> Sealed:
    """Ciphertext for text the application composed itself: the companion's own replies and the
    state of a conversation (the person's answers inside it each passed the seam as a turn when
    they were written). Never for a person's new words: those are sealed by
    :meth:`Screened.seal` after :meth:`TextSeam.screen`, and a test keeps the callers of this
    function to the companion."""
    sealed = {
        name: cipher.encrypt_optional(table, name, row_id, text) for name, text in parts.items()
    }
    analysis = None
    if record is not None:
        analysis = cipher.encrypt(table, "analysis", row_id, json.dumps(record, ensure_ascii=False))
    return Sealed(sealed, analysis)


def seal_numbers(cipher: FieldCipher, table: str, row_id: str, numbers: Sequence[int]) -> bytes:
    """Ciphertext for a person's answers that are numbers (a questionnaire's items): there are
    no words for the gate to read (the questionnaire's own rules ask for the safety step, with
    :meth:`TextSeam.safety_step`), but they are as private as text."""
    return cipher.encrypt(table, "answers", row_id, json.dumps([int(n) for n in numbers]))


def open_numbers(cipher: FieldCipher, table: str, row_id: str, blob: bytes) -> list[int]:
    return [int(n) for n in json.loads(cipher.decrypt(table, "answers", row_id, blob))]


def open_analysis(
    cipher: FieldCipher, table: str, row_id: str, blob: bytes | None
) -> dict[str, Any] | None:
    """The sealed verdict record of a row (the inverse of the analysis part of ``seal``)."""
    text = cipher.decrypt_optional(table, "analysis", row_id, blob)
    return None if text is None else dict(json.loads(text))


def with_answer(
    cipher: FieldCipher, table: str, row_id: str, blob: bytes | None, answer: dict[str, Any]
) -> tuple[bytes, dict[str, Any]]:
    """The row's sealed record with the person's answer in it (re-sealed), and the record. Only
    a text that was asked about takes an answer: a ``high`` was never asked, and a "No" never
    clears it."""
    record = open_analysis(cipher, table, row_id, blob)
    if record is None or record.get("action") != "ask":
        raise Conflict("nothing was asked about this text")
    record["answer"] = answer
    sealed = cipher.encrypt(table, "analysis", row_id, json.dumps(record, ensure_ascii=False))
    return sealed, record


def recorded_flag(analysis: dict[str, Any] | None) -> bool:
    """Whether a stored record's verdict stopped the flow (``elevated`` or above)."""
    level = ((analysis or {}).get("safety") or {}).get("level", "none")
    return level in ("elevated", "high")


def recorded_suggestions(
    analysis: dict[str, Any] | None, owner: Principal | None = None
) -> list[str]:
    """``Verdict.suggested_emotions`` of a stored record (``open_analysis``); none for someone
    who has since turned suggestions off."""
    if owner is not None and not owner.suggestions_on:
        return []
    emotions = (analysis or {}).get("emotions") or {}
    return vocabulary_words(emotions.get("labels", []))


class TextSeam:
    """The one path for a person's text. Built once per process (``steadymind.runtime``)."""

    def __init__(self, gate: Assessor, emotions: EmotionReader, clock: Clock) -> None:
        self.gate = gate
        self.emotions = emotions
        self.clock = clock
        self.surfaces: dict[str, Surface] = {}
        self._recent: list[RecentWriting] = []
        self._plan: PlanSource | None = None
        self._answers: dict[str, AnswerSink] = {}

    # -- registration (by features, at start-up) ---------------------------------------------

    def register_surface(self, surface: Surface) -> Surface:
        if surface.name in self.surfaces:
            raise ValueError(f"text surface {surface.name!r} is registered twice")
        self.surfaces[surface.name] = surface
        return surface

    def register_context(self, source: RecentWriting) -> None:
        self._recent.append(source)

    def set_plan_source(self, source: PlanSource) -> None:
        self._plan = source

    def register_answers(self, surface: str, sink: AnswerSink) -> None:
        """Where the answers to questions about this surface's texts are kept."""
        self._answers[surface] = sink

    def saved_plan(self, owner: Principal) -> SafetyPlan | None:
        """The person's own safety plan, shown with every crisis response and on Help now."""
        return None if self._plan is None else self._plan(owner)

    # -- screening ---------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the models now, not on the first person's first message (which may be a
        crisis)."""
        self.gate.assess("warm up", [], surface="message")
        self._read_emotions("warm up")

    def screen(
        self,
        parts: Mapping[str, str | None] | str,
        *,
        surface: str,
        owner: Principal | None = None,
        context: Sequence[str] = (),
        country: str | None = None,
        plan: SafetyPlan | None = None,
        exclude: str | None = None,
    ) -> Screened:
        """Screen one text (``parts``: a string, or named parts stored in their own columns).

        ``context``: the conversation, for a surface whose context is "given". ``country``: for
        someone not logged in (else theirs). ``plan``: the plan to show (else their saved one).
        ``exclude``: the row being rewritten, left out of the recent writing.
        """
        spec = self._surface(surface)
        named = {"text": parts} if isinstance(parts, str) else dict(parts)
        text = spec.reader(named)
        if spec.max_chars is not None and len(text) > spec.max_chars:
            raise ValidationError(
                f"The text is too long to check (over {spec.max_chars} characters)."
            )
        verdict = None
        if text.strip():
            written = [] if owner is None else self._recent_items(owner, exclude)
            recent = self._context(spec, written, context)
            verdict = self._verdict(spec, text, recent, owner, country, plan)
            if verdict.action == "ask" and any(item.flagged for item in written):
                verdict = replace(verdict, action="crisis", repeated=True)
        return Screened(spec.name, named, verdict, issuer=_ISSUER)

    def screen_many(
        self,
        texts: Sequence[Mapping[str, str | None] | str],
        *,
        surface: str,
        owner: Principal | None = None,
        country: str | None = None,
        plan: SafetyPlan | None = None,
    ) -> list[Screened]:
        """Screen many texts of a surface that reads no context (an import's notes): each
        gets the verdict ``screen`` would give it alone, in order, with the gate reading them
        in one batch when it can (``BatchAssessor``), which costs far less than one by one.
        A surface with context is screened one text at a time."""
        spec = self._surface(surface)
        if spec.context != "none":
            return [
                self.screen(t, surface=surface, owner=owner, country=country, plan=plan)
                for t in texts
            ]
        named = [{"text": t} if isinstance(t, str) else dict(t) for t in texts]
        read = [spec.reader(parts) for parts in named]
        if spec.max_chars is not None and any(len(t) > spec.max_chars for t in read):
            raise ValidationError(
                f"The text is too long to check (over {spec.max_chars} characters)."
            )
        flagged = owner is not None and any(i.flagged for i in self._recent_items(owner, None))
        found = iter(self._assess_many([t for t in read if t.strip()], spec))
        out = []
        for parts, text in zip(named, read, strict=True):
            verdict = None
            if text.strip():
                verdict = self._judged(spec, text, next(found), owner, country, plan)
                if verdict.action == "ask" and flagged:
                    verdict = replace(verdict, action="crisis", repeated=True)
            out.append(Screened(spec.name, parts, verdict, issuer=_ISSUER))
        return out

    def _surface(self, name: str) -> Surface:
        try:
            return self.surfaces[name]
        except KeyError:
            raise ValidationError(f"unknown text surface {name!r}") from None

    def _context(self, spec: Surface, written: list[Written], given: Sequence[str]) -> list[str]:
        if spec.context == "given":
            return list(given)
        if spec.context == "none":
            return []
        return [item.text[-CONTEXT_CHARS:] for item in written[-CONTEXT_TEXTS:]]

    def _recent_items(self, owner: Principal, exclude: str | None) -> list[Written]:
        """Everything the person wrote in the last day, oldest first, across every feature."""
        since = self.clock.now() - CONTEXT_WINDOW
        found = [item for source in self._recent for item in source(owner, since, exclude)]
        return sorted(found, key=lambda item: item.at)

    def recent_writing(self, owner: Principal, exclude: str | None = None) -> list[str]:
        """The person's last few texts of the last day, oldest first: the gate's context."""
        items = self._recent_items(owner, exclude)
        return [item.text[-CONTEXT_CHARS:] for item in items[-CONTEXT_TEXTS:]]

    def _verdict(
        self,
        spec: Surface,
        text: str,
        recent: list[str],
        owner: Principal | None,
        country: str | None,
        plan: SafetyPlan | None,
    ) -> Verdict:
        return self._judged(spec, text, self._assess(text, recent, spec), owner, country, plan)

    def _judged(
        self,
        spec: Surface,
        text: str,
        assessment: RiskAssessment,
        owner: Principal | None,
        country: str | None,
        plan: SafetyPlan | None,
    ) -> Verdict:
        if assessment.needs_crisis_response:
            response = self._crisis(assessment, owner, country, plan, saved=spec.stored)
            action: Action = "crisis" if assessment.level >= RiskLevel.HIGH else "ask"
            return Verdict(spec.name, assessment, None, response, action)
        # With AI turned off the emotion model never reads the text: no suggestions anywhere.
        # The gate above is not a suggestion: it reads every text whatever the setting.
        wanted = spec.suggests and (owner is None or owner.suggestions_on)
        return Verdict(spec.name, assessment, self._read_emotions(text) if wanted else None)

    def _crisis(
        self,
        assessment: RiskAssessment,
        owner: Principal | None,
        country: str | None,
        plan: SafetyPlan | None,
        *,
        saved: bool = True,
    ) -> CrisisResponse | None:
        where = owner.country if owner is not None else country
        if plan is None and owner is not None:
            plan = self.saved_plan(owner)
        return crisis_response(assessment, where, plan, saved=saved)

    def recall(
        self, owner: Principal, surface: str, record: Mapping[str, Any] | None
    ) -> Verdict | None:
        """The verdict a stored text was given (``open_analysis``), with the crisis response
        built again for the person now: for a page that shows the question or the crisis
        response after the write (a streamed reply cannot render one). None when the text
        was not stopped."""
        stored = dict(record or {})
        safety = stored.get("safety") or {}
        if not recorded_flag(stored):
            return None
        level = RiskLevel.parse(str(safety.get("level", "elevated")))
        names = safety.get("categories") or []
        categories = frozenset(Category(c) for c in names if c in Category._value2member_map_)
        assessment = RiskAssessment(level, categories, model_id=str(safety.get("model_id", "")))
        action: Action = "crisis" if stored.get("action") == "crisis" else "ask"
        if level >= RiskLevel.HIGH:
            action = "crisis"
        crisis = self._crisis(assessment, owner, None, None)
        return Verdict(surface, assessment, None, crisis, action)

    # -- the person's answer to the question -------------------------------------------------

    def answer(
        self,
        owner: Principal | None,
        surface: str,
        ref: str | None,
        answer: Answer,
        *,
        country: str | None = None,
    ) -> CrisisResponse | None:
        """Keep the answer beside the text it is about (when the text is stored) and return the
        crisis response for *Yes* or *Not sure* (None for *No*: the flow goes on)."""
        if answer not in ANSWERS:
            raise ValidationError("the answer is yes, not_sure or no")
        spec = self._surface(surface)
        record: dict[str, Any] = {}
        sink = self._answers.get(surface)
        if sink is not None and ref is not None and owner is not None:
            kept = {"value": answer, "at": self.clock.now().isoformat(), "copy": COPY_VERSION}
            record = sink(owner, ref, kept)
        if answer == "no":
            return None
        names = ((record.get("safety") or {}).get("categories")) or []
        categories = frozenset(Category(c) for c in names if c in Category._value2member_map_)
        assessment = RiskAssessment(RiskLevel.ELEVATED, categories, model_id="answer")
        return self._crisis(assessment, owner, country, None, saved=spec.stored)

    def safety_step(
        self, owner: Principal | None, surface: str, categories: frozenset[Category]
    ) -> Verdict:
        """The safety step for an answer that says the person thinks of dying or of hurting
        themselves (PHQ-9 item 9 above "not at all"): the question first, with the crisis
        lines beside it, as for a text at ``elevated``; never just a score. A second flagged
        item within a day goes straight to the crisis response."""
        self._surface(surface)
        assessment = RiskAssessment(RiskLevel.ELEVATED, categories, model_id="answer")
        crisis = self._crisis(assessment, owner, None, None)
        written = [] if owner is None else self._recent_items(owner, None)
        repeated = any(item.flagged for item in written)
        action: Action = "crisis" if repeated else "ask"
        return Verdict(surface, assessment, None, crisis, action, repeated=repeated)

    def passes_generated(self, text: str) -> bool:
        """Whether words a language model wrote for the companion may be shown: the gate must
        find nothing at ``elevated`` or above in them (a reply that talks of methods, or of
        harm, is never shown). Fails closed."""
        try:
            return not self.gate.assess(text, [], surface="message").needs_crisis_response
        except Exception as exc:
            log.error("safety check of a generated reply failed (%s)", type(exc).__name__)
            return False

    def _assess(self, text: str, recent: list[str], spec: Surface) -> RiskAssessment:
        try:
            return self.gate.assess(text, recent, surface=spec.reads)
        except Exception as exc:
            # Fail closed: if the gate itself breaks, treat the text as needing care. Only the
            # exception type is logged; messages of third-party errors can quote input.
            log.error("safety assessment failed (%s); failing closed", type(exc).__name__)
            return RiskAssessment(
                RiskLevel.ELEVATED, model_id=FAIL_CLOSED_ID, failed_layers=("gate",)
            )

    def _assess_many(self, texts: list[str], spec: Surface) -> list[RiskAssessment]:
        """The gate's verdicts on ``texts`` (no context), in one batch when the gate can; if
        the batch fails, each text is assessed alone (each failing closed on its own)."""
        if texts and isinstance(self.gate, BatchAssessor):
            try:
                found = self.gate.assess_many(texts, surface=spec.reads)
                if len(found) == len(texts):
                    return found
                log.error("batched safety assessment returned the wrong count; one by one")
            except Exception as exc:
                log.error("batched safety assessment failed (%s); one by one", type(exc).__name__)
        return [self._assess(text, [], spec) for text in texts]

    def _read_emotions(self, text: str) -> EmotionReading | None:
        try:
            return self.emotions.read(text)
        except Exception as exc:
            # Suggestions are a convenience: the write goes on without them.
            log.warning("emotion suggestion failed (%s)", type(exc).__name__)
            return None


class ModelEmotionReader:
    """The shipped emotion model, loaded on first use."""

    def read(self, text: str) -> EmotionReading:
        from steadymind.affect.text import load_emotion_model

        return load_emotion_model().predict([text])[0]


def shipped_seam(clock: Clock) -> TextSeam:
    """The seam with the shipped gate and emotion model (both load lazily, once per process)."""
    from steadymind.safety.gate import default_gate

    return TextSeam(default_gate(), ModelEmotionReader(), clock)
