"""The one safety gate: every piece of user text passes here before anything else reacts to it.

Layers run in order (rules + lexicon on the message and its recent context, the context policy,
the learned severity layer); the final level is the maximum any layer found. The gate fails
closed: if a layer raises, the assessment is at least ``elevated`` and the failure is logged by
layer name and exception type only (never the text).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from steadymind.core.errors import ValidationError
from steadymind.safety import context as ctx_layer
from steadymind.safety import readings
from steadymind.safety.rules import RuleResult, analyse
from steadymind.safety.severity import SeverityModel
from steadymind.safety.text import (
    CONTEXT_MESSAGES_USED,
    clean,
    is_meaningful,
    normalise,
    validate,
)
from steadymind.safety.types import Category, Evidence, RiskAssessment, RiskLevel, Surface

log = logging.getLogger(__name__)

GATE_ID = "safety-gate@2"  # @2: high needs explicit evidence; the learned layer asks at most
RULES_ID = "rules@5+srl-lexicon@1.0"  # @4: every high rule names its basis; everyday doses;
# @5: voices that give orders, sleepless grandiosity (psychosis-mania, asked about)
SEVERITY_LOW_THRESHOLD = 0.80  # P(ideation or worse) above which "none" becomes "low"

# A safety plan lists warning signs and ways of coping, written to be read in a crisis: the
# learned layer reads it one item (line) at a time, each with the harmless reading
# "safety-plan", so it flags only at its cautious threshold (strong first-person risk), while the
# rules and the context layer read it like any other text.
SAFETY_PLAN_READING = "safety-plan"

Severity = Callable[[str], float]
# The semantic layer reads chunks of a message, each with the harmless reading the rules found
# for it (or None); see ``readings.py``.
Chunks = Sequence[tuple[str, str | None]]
Semantic = Callable[[Chunks], list[Evidence]]


@dataclass(slots=True)
class _Draft:
    evidence: list[Evidence] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    floor: RiskLevel = RiskLevel.NONE

    def fail(self, layer: str, exc: BaseException) -> None:
        # Only the layer and the exception type: messages of third-party errors may quote input.
        log.error("safety layer %s failed (%s); failing closed", layer, type(exc).__name__)
        self.failed.append(layer)
        self.floor = max(self.floor, RiskLevel.ELEVATED)


class SafetyGate:
    """Assess text. ``severity`` is injectable (tests pass fakes or failing layers)."""

    def __init__(
        self,
        severity: Severity | None = None,
        *,
        semantic: Semantic | None = None,
        severity_id: str = "",
        load_severity: Callable[[], tuple[Severity, Semantic, str]] | None = None,
    ) -> None:
        self._severity = severity
        self._semantic = semantic
        self._severity_id = severity_id
        self._loader = load_severity
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        parts = [GATE_ID, RULES_ID]
        if self._severity_id:
            parts.append(self._severity_id)
        return "+".join(parts)

    def _learned_layers(self) -> tuple[Severity | None, Semantic | None]:
        """Load the learned layers once; a load failure is retried on the next call."""
        with self._lock:
            if self._severity is None and self._loader is not None:
                self._severity, self._semantic, self._severity_id = self._loader()
                self._loader = None
            return self._severity, self._semantic

    def assess(
        self, text: str, context: Sequence[str] | None = None, *, surface: Surface = "message"
    ) -> RiskAssessment:
        text, recent = validate(text, context)
        draft = _Draft()
        severity, semantic = self._load(draft)
        norm = normalise(text)
        own = self._run_rules(norm, draft, "message")
        ctx_results = [
            self._run_rules(normalise(m), draft, "context") for m in recent[-CONTEXT_MESSAGES_USED:]
        ]
        if own is not None:
            draft.evidence += own.evidence
            draft.evidence += [
                Evidence("rules", "distress", RiskLevel.LOW, None, phrase)
                for phrase in dict.fromkeys(own.distress)
            ][:3]
            self._run_context(norm, own, ctx_results, recent, semantic, draft)
            meaningful = is_meaningful(text)
            # The learned layer says at most elevated: once the rules stop the flow it adds nothing.
            if semantic is not None and meaningful and own.level < RiskLevel.ELEVATED:
                distressed = any(
                    r is not None and (r.distress or r.level >= RiskLevel.LOW) for r in ctx_results
                )
                self._run_semantic(semantic, text, own, draft, distressed, surface)
            if severity is not None and own.level is RiskLevel.NONE and meaningful:
                self._run_severity(severity, text, draft)
        return self._finish(draft)

    def assess_many(
        self, texts: Sequence[str], *, surface: Surface = "message"
    ) -> list[RiskAssessment]:
        """Each text assessed with no context, as ``assess(text, surface=surface)`` does, in
        order; a text that occurs twice is read once (with no context, its verdict is the same).

        Each text is still run through the encoder on its own. Running the encoder on a padded
        batch would cost about a quarter less, but the shipped int8 encoder quantises its
        activations with one scale per run, so a text's embedding would depend on the texts
        and padding beside it (by up to 0.05 a dimension; tests/safety/test_batch.py shows it)
        and a verdict near a threshold could change. Safety first: no batching of the model
        until an encoder reads each text of a batch exactly as alone."""
        found: dict[str, RiskAssessment] = {}
        for text in texts:
            if text not in found:
                found[text] = self.assess(text, surface=surface)
        return [found[text] for text in texts]

    def _run_rules(self, norm: str, draft: _Draft, source: str) -> RuleResult | None:
        try:
            return analyse(norm, source=source)
        except Exception as exc:  # fail closed on any bug in a layer
            draft.fail(f"rules:{source}", exc)
            return None

    def _run_context(
        self,
        norm: str,
        own: RuleResult,
        results: list[RuleResult | None],
        recent: list[str],
        semantic: Semantic | None,
        draft: _Draft,
    ) -> None:
        try:
            signal = ctx_layer.summarise([r for r in results if r is not None])
            if (
                not signal.distress
                and semantic is not None
                and ctx_layer.means_question(norm) is not None
            ):
                # Only for a means question (rare), so the extra encoder calls cost little: the
                # lexicon misses much distress ("I've messed everything up, no way back").
                signal = ctx_layer.with_semantic_distress(
                    signal,
                    any(semantic([(clean(m), None)]) for m in recent[-2:] if is_meaningful(m)),
                )
            draft.evidence += ctx_layer.apply(norm, own, signal)
        except Exception as exc:
            draft.fail("context", exc)

    def _load(self, draft: _Draft) -> tuple[Severity | None, Semantic | None]:
        try:
            return self._learned_layers()
        except Exception as exc:  # a missing/corrupt model (ModelError) fails closed too
            draft.fail("severity:load", exc)
            return None, None

    def _run_semantic(
        self,
        layer: Semantic,
        text: str,
        own: RuleResult,
        draft: _Draft,
        distressed: bool,
        surface: Surface,
    ) -> None:
        # Each chunk of the message goes to the learned layer with the harmless reading the rules
        # found in it (an idiom they masked, a negated, fictional or other-person mention they
        # suppressed, resolved history, a means question, advice about someone else, a joke).
        # A reading only raises the score the learned layer needs; it never silences it, so
        # strong first-person risk next to a joke or a negation still flags.
        # After distress in the recent messages a question is not innocent: no cap for it.
        try:
            chunks: list[tuple[str, str | None]]
            if surface == "safety-plan":
                # Each item of a plan is its own answer, read on its own: together, warning signs
                # and ways of making things safer ("car keys", "medicines locked away") read
                # like preparations, which is what the learned layer was trained to catch.
                chunks = [
                    (clean(item), SAFETY_PLAN_READING)
                    for item in text.splitlines()
                    if is_meaningful(item)
                ]
            else:
                chunks = readings.read(clean(text), whole=own)
            if distressed:
                chunks = [(c, None if r in readings.QUESTION_READINGS else r) for c, r in chunks]
            elif not own.distress:
                chunks = [(c, r) for c, r in chunks if r != readings.ROUTINE_MEDICATION]
            if not chunks:
                return
            draft.evidence += layer(chunks)
        except Exception as exc:
            draft.fail("semantic", exc)

    def _run_severity(self, layer: Severity, text: str, draft: _Draft) -> None:
        try:
            risk = layer(clean(text))
            if risk >= SEVERITY_LOW_THRESHOLD:
                draft.evidence.append(
                    Evidence("severity", f"cssrs-risk>={SEVERITY_LOW_THRESHOLD}", RiskLevel.LOW)
                )
        except Exception as exc:
            draft.fail("severity", exc)

    def _finish(self, draft: _Draft) -> RiskAssessment:
        draft.evidence = [_explicit(e) for e in draft.evidence]
        level = max([e.level for e in draft.evidence] + [draft.floor])
        cats = frozenset(
            e.category
            for e in draft.evidence
            if e.category is not None and e.level >= RiskLevel.ELEVATED
        )
        return RiskAssessment(
            level=level,
            categories=cats,
            evidence=tuple(_dedupe(draft.evidence)),
            model_id=self.model_id,
            failed_layers=tuple(draft.failed),
        )


def _explicit(e: Evidence) -> Evidence:
    """``high`` shows the crisis response without asking first: only explicit evidence (a plan,
    intent, a time, means, preparation, an attempt or danger now, the conversation) may say it.
    Anything else that says high is asked about instead (``elevated``)."""
    if e.level is not RiskLevel.HIGH or e.basis is not None:
        return e
    signal = f"{e.signal}:no-explicit-basis"
    return Evidence(e.layer, signal, RiskLevel.ELEVATED, e.category, e.phrase, e.source)


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for e in evidence:
        key = (e.signal, e.phrase, e.source)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _load_default_severity() -> tuple[Severity, Semantic, str]:
    from steadymind.safety.encoder import default_encoder
    from steadymind.safety.semantic import SemanticLayer

    encoder = default_encoder()
    model = SeverityModel(encoder)
    semantic = SemanticLayer(encoder)

    def risk(text: str) -> float:
        return model.score(text).risk

    return risk, semantic.assess, f"{semantic.model_id}+{model.model_id}+{encoder.model_id}"


_default_gate = SafetyGate(load_severity=_load_default_severity)


def default_gate() -> SafetyGate:
    return _default_gate


def assess(
    text: str, context: Sequence[str] | None = None, *, surface: Surface = "message"
) -> RiskAssessment:
    """Assess one message given the recent messages before it (oldest first).

    ``surface="safety-plan"`` for the text of a person's safety plan (see ``Surface``).

    Returns a :class:`RiskAssessment`; raises :class:`steadymind.core.errors.ValidationError`
    only for wrong types or text over ``text.MAX_CHARS``. Never logs the text.
    """
    return _default_gate.assess(text, context, surface=surface)


__all__ = ["Category", "RiskLevel", "SafetyGate", "ValidationError", "assess", "default_gate"]
