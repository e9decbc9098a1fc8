"""What learns which practice helps this person: a contextual bandit (linear Thompson sampling),
its propensities, and the offline estimators that judge a new policy from the old one's logs.

Pure numbers (numpy): no database, no person. The context is a short vector (time of day, the
last check-in's mood and energy, and the feelings it named as shares of the four groups of
``affect.vocabulary``); the reward is in [0, 1] (docs/coach.md says how it is made). Each arm
keeps a Bayesian linear regression; choosing samples one plausible model per arm and takes the
best, so an arm that might be good is still tried (exploration) until the evidence says
otherwise. The probability of the choice (its propensity) is estimated from many such samples
and logged with it: that is what lets a different policy be evaluated offline, with inverse
propensity scoring (IPS) or its self-normalised form (SNIPS), before anyone meets it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from steadymind.affect.vocabulary import QUADRANTS, quadrant_of

# bias, three times of day (morning is the baseline), mood, energy, and the share of the last
# check-in's feelings in each of the four groups (in ``QUADRANTS``' order: unpleasant-high,
# pleasant-high, unpleasant-low, pleasant-low; all zero when it named none). Version 1 had the
# first six only; its logged contexts are read with the feelings as zero (``widen``).
DIMS = 10
V1_DIMS = 6
TIMES = ("morning", "afternoon", "evening", "night")
GROUPS = tuple(q.key for q in QUADRANTS)
DRAWS = 200  # samples to estimate a propensity
MIN_PROPENSITY = 1.0 / DRAWS


def time_of_day(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def context_vector(
    hour: int, mood: int | None, energy: int | None, feelings: Sequence[str] = ()
) -> list[float]:
    part = time_of_day(hour)
    vector = [1.0] + [1.0 if part == t else 0.0 for t in TIMES[1:]]
    # An unknown mood reads as neutral: the bias carries what is known without it.
    vector += [(mood or 0) / 5.0, (energy or 0) / 5.0]
    return vector + feeling_shares(feelings)


def feeling_shares(feelings: Sequence[str]) -> list[float]:
    """The share of the named feelings in each group (words outside the picker are left out)."""
    groups = [q.key for w in feelings if (q := quadrant_of(w)) is not None]
    if not groups:
        return [0.0] * len(GROUPS)
    return [groups.count(g) / len(groups) for g in GROUPS]


def widen(context: Sequence[float]) -> list[float]:
    """A logged context at today's length: an older one without feelings reads as none named."""
    values = [float(v) for v in context][:DIMS]
    return values + [0.0] * (DIMS - len(values))


@dataclass
class ArmModel:
    """Bayesian linear regression of reward on context: precision A and moment b."""

    precision: np.ndarray
    moment: np.ndarray
    n: int = 0

    @classmethod
    def prior(cls, dims: int, strength: float = 1.0) -> ArmModel:
        return cls(np.eye(dims) * strength, np.zeros(dims))

    def update(self, x: np.ndarray, reward: float) -> None:
        self.precision += np.outer(x, x)
        self.moment += reward * x
        self.n += 1

    def mean(self) -> np.ndarray:
        return np.linalg.solve(self.precision, self.moment)

    def covariance(self) -> np.ndarray:
        return np.linalg.inv(self.precision)


@dataclass
class Choice:
    arm: str
    propensity: float
    expected: float  # the posterior mean reward of the chosen arm in this context


@dataclass
class ThompsonPolicy:
    """Linear Thompson sampling over named arms; ``scale`` widens or narrows exploration."""

    arms: Sequence[str]
    dims: int = DIMS
    scale: float = 0.5
    models: dict[str, ArmModel] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for arm in self.arms:
            self.models.setdefault(arm, ArmModel.prior(self.dims))

    def learn(self, arm: str, context: Sequence[float], reward: float) -> None:
        if arm in self.models:
            self.models[arm].update(np.asarray(context, dtype=float), reward)

    def _draws(self, x: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
        """Sampled rewards, shape (n, arms): one plausible model per arm per draw."""
        columns = []
        for arm in self.arms:
            model = self.models[arm]
            cov = self.covariance_of(model)
            mean = float(x @ model.mean())
            spread = float(np.sqrt(max(x @ cov @ x, 1e-12))) * self.scale
            columns.append(rng.normal(mean, spread, size=n))
        return np.stack(columns, axis=1)

    @staticmethod
    def covariance_of(model: ArmModel) -> np.ndarray:
        return model.covariance()

    def probabilities(
        self, context: Sequence[float], rng: np.random.Generator, draws: int = DRAWS
    ) -> np.ndarray:
        x = np.asarray(context, dtype=float)
        winners = np.argmax(self._draws(x, rng, draws), axis=1)
        counts = np.bincount(winners, minlength=len(self.arms)).astype(float)
        return np.maximum(counts / draws, 0.0)

    def choose(self, context: Sequence[float], rng: np.random.Generator) -> Choice:
        """One Thompson draw decides; its propensity is the share of many draws it wins."""
        x = np.asarray(context, dtype=float)
        draws = self._draws(x, rng, DRAWS + 1)
        winners = np.argmax(draws, axis=1)
        chosen = int(winners[0])
        share = float(np.mean(winners[1:] == chosen))
        arm = self.arms[chosen]
        return Choice(arm, max(share, MIN_PROPENSITY), float(x @ self.models[arm].mean()))

    def greedy(self, context: Sequence[float]) -> str:
        x = np.asarray(context, dtype=float)
        return max(self.arms, key=lambda arm: float(x @ self.models[arm].mean()))


# -- offline evaluation --------------------------------------------------------------------


@dataclass(frozen=True)
class Logged:
    context: Sequence[float]
    arm: str
    propensity: float
    reward: float


Target = Callable[[Sequence[float]], dict[str, float]]  # a policy's probabilities in a context


def ips(logs: Sequence[Logged], target: Target) -> float:
    """Inverse propensity scoring: unbiased when propensities are right, but noisy."""
    if not logs:
        return float("nan")
    return float(
        np.mean([e.reward * target(e.context).get(e.arm, 0.0) / e.propensity for e in logs])
    )


def snips(logs: Sequence[Logged], target: Target) -> float:
    """Self-normalised IPS: the weights sum to one; slightly biased, far steadier."""
    weights = np.array([target(e.context).get(e.arm, 0.0) / e.propensity for e in logs])
    if not logs or weights.sum() == 0:
        return float("nan")
    rewards = np.array([e.reward for e in logs])
    return float((weights * rewards).sum() / weights.sum())


# -- a simulator of people with hidden preferences (tests and the benchmark) ----------------


@dataclass
class SimPerson:
    """A person whose benefit from each practice depends on the context through hidden
    weights; a reward is that benefit plus noise, clipped to [0, 1]."""

    weights: dict[str, np.ndarray]
    noise: float = 0.15

    @classmethod
    def random(cls, arms: Sequence[str], rng: np.random.Generator) -> SimPerson:
        """Hidden weights: a base benefit per practice, and how it moves with the time of day,
        mood, energy and, most strongly, the feelings named (one person's breathing helps when
        anxious and not when low; another's walk the other way round)."""
        spread = np.array([0.25] * V1_DIMS + [0.45] * (DIMS - V1_DIMS))
        return cls(
            {a: rng.normal(0.0, spread) + np.eye(DIMS)[0] * rng.uniform(0.2, 0.6) for a in arms}
        )

    def expected(self, arm: str, context: Sequence[float]) -> float:
        return float(np.clip(np.asarray(context) @ self.weights[arm], 0.0, 1.0))

    def reward(self, arm: str, context: Sequence[float], rng: np.random.Generator) -> float:
        return float(np.clip(self.expected(arm, context) + rng.normal(0, self.noise), 0.0, 1.0))


def random_context(rng: np.random.Generator) -> list[float]:
    """A check-in as people make them: mood and energy, and up to three feelings, mostly from
    the group their mood and energy point to; a quarter name none."""
    mood, energy = int(rng.integers(-5, 6)), int(rng.integers(-5, 6))
    feelings: list[str] = []
    if rng.random() >= 0.25:
        likely = next(
            q
            for q in QUADRANTS
            if q.pleasant == (mood > 0) and (q.energy == "high") == (energy > 0)
        )
        for _ in range(int(rng.integers(1, 4))):
            group = likely if rng.random() < 0.7 else QUADRANTS[int(rng.integers(len(QUADRANTS)))]
            feelings.append(group.words[int(rng.integers(len(group.words)))])
    return context_vector(int(rng.integers(0, 24)), mood, energy, feelings)
