"""A strain estimate that says how sure it is: resting heart rate and HRV against this person's
usual, never against a population. docs/models/stress.md has its evaluation and its limits.

Each signal is put in the person's own units, ``z = (value - usual) / spread``, where the usual
is their median and the spread their interquartile range / 1.349 (a standard deviation that a
few odd days do not inflate). The shipped model (``models/stress``, trained by
``training/stress_predict.py`` on the MIT-licensed Stress-Predict data set) turns them into the
probability of strain, ``sigmoid(w_heart * z_heart + w_hrv * z_hrv + bias)``: "more strain than
usual" from even odds, "less" below one in five, "about as usual" between. HRV's weight is kept
at or below zero (its card says why); as fitted it is zero, so heart rate moves the estimate and
HRV says how sure it is. It replaced the fixed rule ``(z_heart - z_hrv) / 2`` (``score`` below,
kept for the evaluation scripts) because it did better on WESAD, held out, with nothing fitted
to WESAD.

How sure: "not sure" when one signal is missing, the two disagree in direction, or the usual
rests on fewer than two weeks of days; "fairly sure" when both move together by more than one
spread; "somewhat sure" otherwise.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt

from steadymind.features.wearables.daily import Baseline
from steadymind.models import artefact_dir
from steadymind.models.manifest import load_artefact

T = TypeVar("T", float, npt.NDArray[np.float64])
THRESHOLD = 0.5
IQR_TO_SD = 1.349
SURE_DAYS = 14
Level = Literal["lower", "usual", "higher"]
Sureness = Literal["not sure", "somewhat sure", "fairly sure"]
LIMITS = (
    "This is an estimate from your heart rate and heart-rate variability only, compared with "
    "your own usual. Sleep, illness, alcohol, caffeine, exercise and some medicines change "
    "these numbers too, so a 'higher' day is a prompt to notice how you are, not a verdict. It "
    "was learned from one-minute recordings of 34 people's watches during laboratory tasks and "
    "checked on 15 others, not on whole days of life, and it is not a medical measurement."
)


@dataclass(frozen=True)
class StrainEstimate:
    score: float | None  # the probability of strain, 0..1
    level: Level | None
    sureness: Sureness
    reasons: tuple[str, ...]
    model_id: str = ""


@dataclass(frozen=True)
class StrainModel:
    model_id: str
    weights: tuple[float, float]  # z heart rate, z HRV
    bias: float
    higher: float  # probability from which a day shows more strain than usual
    lower: float  # and below which less

    def probability(self, z_heart: float, z_hrv: float) -> float:
        logit = self.weights[0] * z_heart + self.weights[1] * z_hrv + self.bias
        return 1 / (1 + math.exp(-max(-40.0, min(40.0, logit))))

    def level(self, probability: float) -> Level:
        if probability >= self.higher:
            return "higher"
        return "lower" if probability < self.lower else "usual"


@cache
def model() -> StrainModel:
    """The shipped model (its every file checked against the manifest's sha256)."""
    artefact = load_artefact(artefact_dir("stress"))
    data = json.loads(artefact.path("coefficients").read_text(encoding="utf-8"))
    w_heart, w_hrv = (float(w) for w in data["weights"])
    return StrainModel(artefact.model_id, (w_heart, w_hrv), float(data["bias"]),
                       float(data["higher"]), float(data["lower"]))  # fmt: skip


def z(value: float, usual: Baseline) -> float:
    spread = max((usual.high - usual.low) / IQR_TO_SD, 1e-6)
    return (value - usual.usual) / spread


def score(z_heart: T, z_hrv: T) -> T:
    """The former fixed rule, for one day or for many (the training scripts compare with it)."""
    result: T = (z_heart - z_hrv) / 2
    return result


def level_of(value: float) -> Level:
    if value > THRESHOLD:
        return "higher"
    if value < -THRESHOLD:
        return "lower"
    return "usual"


def estimate(
    heart: float | None,
    hrv: float | None,
    heart_usual: Baseline | None,
    hrv_usual: Baseline | None,
) -> StrainEstimate:
    """The day's estimate from its resting heart rate and HRV (either may be missing)."""
    if heart is None or hrv is None or heart_usual is None or hrv_usual is None:
        missing = "needs both resting heart rate and HRV, and a week of days to know your usual"
        return StrainEstimate(None, None, "not sure", (missing,))
    zh, zv = z(heart, heart_usual), z(hrv, hrv_usual)
    shipped = model()
    s = shipped.probability(zh, zv)
    reasons: tuple[str, ...] = (
        f"resting heart rate {_words(zh)} your usual",
        f"heart-rate variability {_words(zv)} your usual",
    )
    days = min(heart_usual.days, hrv_usual.days)
    agree = (zh > 0) != (zv > 0) or abs(zh) < 0.25 or abs(zv) < 0.25
    if days < SURE_DAYS or not agree:
        sure: Sureness = "not sure"
    elif abs(zh) > 1 and abs(zv) > 1:
        sure = "fairly sure"
    else:
        sure = "somewhat sure"
    if days < SURE_DAYS:
        reasons = (*reasons, f"your usual rests on {days} days so far")
    elif not agree:
        reasons = (*reasons, "the two point different ways")
    return StrainEstimate(round(s, 2), shipped.level(s), sure, reasons, shipped.model_id)


def _words(value: float) -> str:
    if abs(value) < 0.25:
        return "close to"
    return "above" if value > 0 else "below"


def for_day(values: dict[str, float], usual: dict[str, Baseline]) -> StrainEstimate:
    """A day's estimate from its numbers (``wearable_days`` factors). HRV as RMSSD when the day
    and the person's usual have it (read from beats: RR intervals of a strap, or the beat lists
    of an Apple Watch's readings; also Oura and Fitbit), else SDNN (Apple's own figure)."""
    known = [k for k in ("hrv.rmssd", "hrv.sdnn") if k in values and k in usual]
    hrv_key = known[0] if known else ("hrv.sdnn" if "hrv.sdnn" in values else "hrv.rmssd")
    return estimate(
        values.get("heart.resting"), values.get(hrv_key), usual.get("heart.resting"),
        usual.get(hrv_key),
    )  # fmt: skip
