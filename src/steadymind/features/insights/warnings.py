"""Early-warning rules the person chose, checked against their own days.

A rule fires in the app (the insights page, ``steadymind insights warnings``), and tells the
supporter the person named only for a rule they marked for it, at most once a day per rule,
with the fixed words below (features/insights/supporters.py). A rule that fires is a nudge to
look after oneself, not a diagnosis, and the words say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from steadymind.core.errors import ValidationError
from steadymind.features.insights.patterns import DailyTable

KINDS = {
    "mood_falling": "Mood falling {days} days running",
    "mood_below": "Average mood below {threshold:+g} over {days} days",
    "phq9_at_least": "PHQ-9 at {threshold:g} or more",
    "short_nights": "{days} nights under {threshold:g} hours of sleep",
}
NOT_A_DIAGNOSIS = (
    "This is a rule you set, not a diagnosis. It may be a good moment to be kind to yourself, "
    "to use your plan, or to talk to someone you trust."
)

# What a supporter receives: these words and the person's name as the supporter knows them,
# nothing else (never a score, a note or which rule). Reviewed as one piece of copy.
SUPPORTER_TITLE = "A note from steadymind"
_LOWER = {
    "short_nights": "their sleep has been shorter than usual",
}


def supporter_body(signed_as: str, kind: str) -> str:
    what = _LOWER.get(kind, "their check-ins have been lower than usual")
    return (
        f"{signed_as} asked steadymind to let you know when {what} for a while. "
        "You might get in touch. This is not a diagnosis, and nothing they wrote or recorded "
        "has been shared with you. If you think they are in danger right now, call your local "
        "emergency number."
    )


def supporter_test(signed_as: str) -> str:
    return (
        f"This is a test: {signed_as} added you as their supporter in steadymind. "
        "If a warning they chose fires, you will receive a message like this one:\n\n"
        + supporter_body(signed_as, "mood_below")
    )


@dataclass(frozen=True)
class Fired:
    rule_id: str
    title: str
    message: str


def check_rule(kind: str, threshold: float, days: int) -> None:
    if kind not in KINDS:
        raise ValidationError("A rule is one of " + ", ".join(KINDS) + ".")
    if not 2 <= days <= 60:
        raise ValidationError("A rule looks at 2 to 60 days.")
    if kind == "mood_below" and not -5 <= threshold <= 5:
        raise ValidationError("A mood threshold is from -5 to +5.")
    if kind == "phq9_at_least" and not 1 <= threshold <= 27:
        raise ValidationError("A PHQ-9 threshold is from 1 to 27.")
    if kind == "short_nights" and not 1 <= threshold <= 12:
        raise ValidationError("Hours of sleep are from 1 to 12.")


def title(kind: str, threshold: float, days: int) -> str:
    return KINDS[kind].format(threshold=threshold, days=days)


def falling(mood: dict[date, float], today: date, days: int) -> bool:
    """The daily mood lower each day than the day before, for ``days`` days ending today or
    yesterday (today may not be checked in yet)."""
    for end in (today, today - timedelta(days=1)):
        run = [mood.get(end - timedelta(days=i)) for i in range(days)]
        if None in run:
            continue
        values = [v for v in reversed(run) if v is not None]
        if all(b < a for a, b in pairwise(values)):
            return True
    return False


def fires(
    kind: str,
    threshold: float,
    days: int,
    table: DailyTable,
    today: date,
    phq9: int | None,
) -> bool:
    recent = [today - timedelta(days=i) for i in range(days)]
    if kind == "mood_falling":
        return falling(table.mood, today, days)
    if kind == "mood_below":
        moods = [table.mood[d] for d in recent if d in table.mood]
        return len(moods) >= max(2, days // 2) and sum(moods) / len(moods) < threshold
    if kind == "phq9_at_least":
        return phq9 is not None and phq9 >= threshold
    if kind == "short_nights":
        sleep = table.factors.get("sleep.hours", {})
        return sum(1 for d in recent if d in sleep and sleep[d] < threshold) >= days
    return False
