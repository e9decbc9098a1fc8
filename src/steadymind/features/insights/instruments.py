"""The standard questionnaires, word for word as published, with their scoring and bands.

PHQ-9 and GAD-7 (Pfizer; "no permission required to reproduce, translate, display or
distribute"), WHO-5 (Psychiatric Research Unit, WHO Collaborating Centre, Mental Health Centre
North Zealand; free to use) and PSS-10 (Cohen; free for non-commercial use in research and
self-help). The item wording, the answer options and the bands are the published ones; the
references are shown with each result. Kept in one file so that a reviewer reads them in one
place. A score is a screening figure, not a diagnosis, and every page says so.

PHQ-9 item 9 ("Thoughts that you would be better off dead or of hurting yourself in some way"):
any answer above "Not at all" goes to the safety step (``SAFETY_ITEM``), never just to a score.
"""

from __future__ import annotations

from dataclasses import dataclass

from steadymind.core.errors import ValidationError


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    name: str


@dataclass(frozen=True)
class Instrument:
    key: str
    title: str
    stem: str
    items: tuple[str, ...]
    options: tuple[tuple[int, str], ...]  # (score, words), in the order they are shown
    bands: tuple[Band, ...]
    reference: str
    licence: str
    reverse: tuple[int, ...] = ()  # 1-based items scored in reverse (PSS-10)
    multiplier: int = 1  # WHO-5: the raw score times 4 is the percentage score
    higher_is_better: bool = False

    @property
    def most(self) -> int:
        return max(s for s, _ in self.options) * len(self.items) * self.multiplier

    def score(self, answers: list[int]) -> tuple[int, str]:
        """The total and its band; a ``ValidationError`` for a wrong number of answers or an
        answer outside the options."""
        if len(answers) != len(self.items):
            raise ValidationError(
                f"{self.title} has {len(self.items)} questions: please give "
                f"{len(self.items)} answers."
            )
        allowed = {s for s, _ in self.options}
        if any(a not in allowed for a in answers):
            low, high = min(allowed), max(allowed)
            raise ValidationError(f"Each {self.title} answer is a number from {low} to {high}.")
        top = max(allowed)
        scored = [top - a if i + 1 in self.reverse else a for i, a in enumerate(answers)]
        total = sum(scored) * self.multiplier
        return total, self.band(total)

    def band(self, total: int) -> str:
        return next(b.name for b in self.bands if b.low <= total <= b.high)


FREQUENCY = ((0, "Not at all"), (1, "Several days"), (2, "More than half the days"),
             (3, "Nearly every day"))  # fmt: skip

PHQ9 = Instrument(
    key="phq9",
    title="PHQ-9",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following "
    "problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or "
        "your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite "
        "\u2014 being so fidgety or restless that you have been moving around a lot more than "
        "usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    options=FREQUENCY,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 27, "severe"),
    ),
    reference="Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
    "severity measure. J Gen Intern Med. 2001;16(9):606-613.",
    licence="Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and "
    "colleagues, with an educational grant from Pfizer Inc. No permission required to "
    "reproduce, translate, display or distribute.",
)

GAD7 = Instrument(
    key="gad7",
    title="GAD-7",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious, or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid, as if something awful might happen",
    ),
    options=FREQUENCY,
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe"),
    ),
    reference="Spitzer RL, Kroenke K, Williams JBW, L\u00f6we B. A brief measure for assessing "
    "generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092-1097.",
    licence=PHQ9.licence,
)

WHO5 = Instrument(
    key="who5",
    title="WHO-5",
    stem="Please indicate for each of the five statements which is closest to how you have "
    "been feeling over the last two weeks. Notice that higher numbers mean better well-being. "
    "Over the last two weeks:",
    items=(
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ),
    options=(
        (5, "All of the time"),
        (4, "Most of the time"),
        (3, "More than half of the time"),
        (2, "Less than half of the time"),
        (1, "Some of the time"),
        (0, "At no time"),
    ),
    # The percentage score (raw x 4): 50 or below suggests poor well-being and is a reason to
    # screen for depression; 28 or below is likely depression (Topp et al. 2015).
    bands=(
        Band(0, 28, "very low well-being"),
        Band(29, 50, "low well-being"),
        Band(51, 100, "well-being in the usual range"),
    ),
    reference="Topp CW, \u00d8stergaard SD, S\u00f8ndergaard S, Bech P. The WHO-5 Well-Being "
    "Index: a systematic review of the literature. Psychother Psychosom. 2015;84(3):167-176.",
    licence="Psychiatric Research Unit, WHO Collaborating Centre in Mental Health, Mental "
    "Health Centre North Zealand; free to use.",
    multiplier=4,
    higher_is_better=True,
)

PSS10 = Instrument(
    key="pss10",
    title="PSS-10",
    stem="The questions in this scale ask you about your feelings and thoughts during the last "
    "month. In each case, you will be asked to indicate how often you felt or thought a "
    "certain way.",
    items=(
        "In the last month, how often have you been upset because of something that happened "
        "unexpectedly?",
        "In the last month, how often have you felt that you were unable to control the "
        "important things in your life?",
        'In the last month, how often have you felt nervous and "stressed"?',
        "In the last month, how often have you felt confident about your ability to handle "
        "your personal problems?",
        "In the last month, how often have you felt that things were going your way?",
        "In the last month, how often have you found that you could not cope with all the "
        "things that you had to do?",
        "In the last month, how often have you been able to control irritations in your life?",
        "In the last month, how often have you felt that you were on top of things?",
        "In the last month, how often have you been angered because of things that were "
        "outside of your control?",
        "In the last month, how often have you felt difficulties were piling up so high that "
        "you could not overcome them?",
    ),
    options=(
        (0, "Never"),
        (1, "Almost never"),
        (2, "Sometimes"),
        (3, "Fairly often"),
        (4, "Very often"),
    ),
    # The PSS has no clinical cut-offs; these are the ranges commonly used to describe a score.
    bands=(Band(0, 13, "low stress"), Band(14, 26, "moderate stress"), Band(27, 40, "high stress")),
    reference="Cohen S, Kamarck T, Mermelstein R. A global measure of perceived stress. "
    "J Health Soc Behav. 1983;24(4):385-396.",
    licence="Free for non-commercial use in research and self-help (Cohen).",
    reverse=(4, 5, 7, 8),
)

INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (PHQ9, GAD7, WHO5, PSS10)}
# The item whose answer above "Not at all" goes to the safety step: (instrument, 0-based item).
SAFETY_ITEM = ("phq9", 8)
NOT_A_DIAGNOSIS = (
    "A questionnaire score is a way to notice change over time, not a diagnosis. If a score "
    "worries you, or is higher than before, it is worth talking it over with a doctor or a "
    "therapist."
)


def instrument(name: str) -> Instrument:
    key = name.lower().replace("-", "").replace(" ", "")
    try:
        return INSTRUMENTS[key]
    except KeyError:
        names = ", ".join(INSTRUMENTS)
        raise ValidationError(
            f"There is no questionnaire called that; try one of {names}."
        ) from None


def parse_answers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(" ", "").split(",") if part != ""]
    except ValueError:
        raise ValidationError("Please give the answers as numbers, for example 0,1,2,0.") from None


def needs_safety_step(inst: Instrument, answers: list[int]) -> bool:
    key, item = SAFETY_ITEM
    return inst.key == key and len(answers) > item and answers[item] > 0
