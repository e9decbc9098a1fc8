"""Conversation context: a means question is harmless alone and ``high`` after distress.

"Which bridges are taller than 25 m?" is a tourist's question on its own and a warning sign after
"I just lost my job. I don't see the point of anything." The gate therefore looks at the recent
messages (oldest first; only the last few count) for distress or risk, and at the current message
for a question about means: heights, medication amounts, trains, water, weapons, poisons, or a
short follow-up about dying ("is it painful?") after risk was named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steadymind.safety.patterns import DOSE_TAKEN
from steadymind.safety.rules import RuleResult
from steadymind.safety.text import flat
from steadymind.safety.types import Category, Evidence, RiskLevel

LAYER = "context"

MEANS_QUESTION = re.compile(
    r"\b(bridges?|buildings?|towers?|roofs?|cliffs?|car parks?|parking (garage|structure)|"
    r"balcon(y|ies)|skyscrapers?|multi ?-?storey|overpass|flyover)\b"
    r".*\b(tall|taller|tallest|high|higher|highest|height|roof|top|"
    r"nearest|where|which|get onto|drop|fall)\b"
    r"|\b(tallest|highest|how (tall|high)|nearest|closest)\b"
    r".*\b(multi ?-?storey|bridge|building|tower|roof|cliff|"
    r"car park|balcony|point|drop)\b"
    r"|\bhow many (floors|storeys|stories|metres|meters|feet|foot|m)\b"
    r".*\b(up|high|drop|fall|down|need)\b"
    r"|\bhow (many|much)\b.*\b(pills?|tablets?|paracetamol|ibuprofen|insulin|painkillers?|meds|"
    r"medication|sleeping|antidepressants?|alcohol|vodka)\b"
    r"|\b(strongest|maximum|max|lethal|overdose|highest) (dose|painkillers?|pills?|sleeping)"
    r"|\b(dose|painkillers?|pills?|tablets?)\b.*"
    r"\b(strongest|over the counter|without (a )?prescription)\b"
    r"|\b(fastest|express|non-stop) (train|trains|route)\b|\btrain (line|lines|tracks?)\b|"
    r"\bstop at all stations\b"
    r"|\bhow deep\b|\bdrown(ing)?\b|\bcarbon monoxide\b|\bexhaust\b"
    r"|\bis (it|\w+ing|an overdose) (painful|quick|fast|painless)\b"
    r"|\b(buy|get|find) (a )?(gun|rope|noose|firearm|pistol|shotgun)\b"
    r"|\bwhere (can|do|could|would|should) i (buy|get|find)\b"
    # Pesticide self-poisoning is among the commonest methods worldwide (WHO): a question about
    # poisons after distress is a means question. Alone it is gardening.
    r"|\b(pesticides?|weed ?killer|herbicides?|antifreeze|rat poison|paraquat|cyanide)\b"
    r"|\b(toxic|poisonous|deadly|lethal)\b|\bmix\b.*\b(chemicals|bleach)\b"
    r"|\b(is it|would it be|does it) (painful|hurt|quick)\b|\bhow long (does|would) it take\b"
    r"|\bhow (much|many) would i need\b|\bwork (fastest|quickest)\b"
    r"|\b(quickest|fastest|most painless|least painful) (way|one|method)\b"
    r"|\bhow (many|much)\b.*\b(co-?codamol|codeine|tramadol|aspirin|lithium|diazepam|xanax)\b"
    r"|\b(i'm going to|i'll|going to) do it\b"
)
# Signals in the current message that alone would make a means question alarming.
_SELF_DISTRESS = re.compile(r"\b(just want (this|it) (to be )?over|can't take|end it|done)\b")
CONTEXT_WINDOW = 6


@dataclass(frozen=True, slots=True)
class ContextSignal:
    distress: bool
    risk: RiskLevel
    categories: frozenset[Category]


def summarise(results: list[RuleResult]) -> ContextSignal:
    """Combine the rule results of the recent messages (most recent last)."""
    recent = results[-CONTEXT_WINDOW:]
    risk = max((r.level for r in recent), default=RiskLevel.NONE)
    cats = frozenset(c for r in recent for c in r.categories)
    distress = any(r.distress or r.level >= RiskLevel.LOW for r in recent)
    return ContextSignal(distress=distress, risk=risk, categories=cats)


def with_semantic_distress(signal: ContextSignal, distressed: bool) -> ContextSignal:
    if not distressed:
        return signal
    return ContextSignal(distress=True, risk=signal.risk, categories=signal.categories)


def means_question(normalised: str) -> str | None:
    match = MEANS_QUESTION.search(flat(normalised))
    return match.group(0) if match else None


_DOSE = re.compile(DOSE_TAKEN)


def apply(normalised: str, own: RuleResult, ctx: ContextSignal) -> list[Evidence]:
    """Extra evidence from the conversation around the current message."""
    return _dose_after_distress(normalised, ctx) + _means_after_distress(normalised, own, ctx)


def _dose_after_distress(normalised: str, ctx: ContextSignal) -> list[Evidence]:
    """Medication taken, at any dose, after distress in the recent messages: asked about
    (``elevated``), never the crisis response on its own. Alone it is everyday life."""
    dose = _DOSE.search(flat(normalised))
    if dose is None or not ctx.distress:
        return []
    return [
        Evidence(LAYER, "dose-after-distress", RiskLevel.ELEVATED, Category.SUICIDE, dose.group(0),
                 "context")
    ]  # fmt: skip


def _means_after_distress(normalised: str, own: RuleResult, ctx: ContextSignal) -> list[Evidence]:
    phrase = means_question(normalised)
    if phrase is None:
        return []
    distressed = ctx.distress or bool(own.distress) or bool(_SELF_DISTRESS.search(flat(normalised)))
    if not distressed:
        return []
    source = "context" if ctx.distress else "message"
    signal = "means-after-risk" if ctx.risk >= RiskLevel.ELEVATED else "means-after-distress"
    return [Evidence(LAYER, signal, RiskLevel.HIGH, Category.SUICIDE, phrase, source, "context")]
