"""One suggestion at a time, learned for this person, explained, and refusable.

The activities come from whichever features offer them (``runtime.SuggestionSource``); the
context is the person's clock and their last check-in's mood, energy and feelings
(``runtime.CheckInContext``); the reward is, first, what came of it: the practice's calm ratings
before and after and whether it was finished (``runtime.OutcomeSource``, ``outcome_reward``),
and otherwise what the person says ("it helped", "a little", "not really") or 0 when they skip
it. Every suggestion is logged with its context and propensity so that a new policy can be
judged offline (:mod:`.bandit`) before it replaces this one. Nothing is suggested when the
person's AI setting is "off".
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select

from steadymind.core.clock import Clock
from steadymind.core.errors import Conflict
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned
from steadymind.features.coach import copy
from steadymind.features.coach.bandit import (
    GROUPS,
    Logged,
    ThompsonPolicy,
    context_vector,
    ips,
    snips,
    time_of_day,
    widen,
)
from steadymind.features.coach.schemas import SuggestionOut
from steadymind.features.coach.tables import NotForMe, Suggestion
from steadymind.runtime import (
    Activity,
    LatestCheckIn,
    Outcome,
    SuggestionSource,
)

# v2: the context has the last check-in's energy and feelings (bandit.DIMS); v1's logs are read
# with those as unknown.
POLICY = "linear-ts-v2"
REWARDS = {"helped": 1.0, "a-little": 0.6, "not-really": 0.2, "skipped": 0.0}
# What came of a suggestion counts when the person starts it within this long of seeing it.
OUTCOME_WINDOW = timedelta(hours=3)
# Suggestions whose outcome may still be looked for (older ones keep the reward they have).
SETTLE_DAYS = 7
PRACTISED = "practised"
# The context's feelings come from a check-in of the last this many hours.
CONTEXT_HOURS = 12


class Others(Protocol):
    """The check-in context and the outcomes, from whichever features offer them."""

    def latest_checkin(self, owner: Principal, since: datetime) -> LatestCheckIn | None: ...

    def outcomes(self, owner: Principal, since: datetime) -> list[Outcome]: ...


def outcome_reward(outcome: Outcome) -> float:
    """What came of an activity as a reward in [0, 1] (docs/coach.md, "What the suggestions
    learn from"): finished with both calm ratings, 0.4 plus 0.15 for each point calmer after
    than before (4 points calmer or more: 1; 3 points less calm: 0); finished without ratings,
    0.5; started and left, 0.1 (tried, which is more than skipped)."""
    if not outcome.completed:
        return 0.1
    if outcome.before is None or outcome.after is None:
        return 0.5
    return float(min(1.0, max(0.0, 0.4 + 0.15 * (outcome.after - outcome.before))))


# A suggestion shown and not yet answered is shown again for this long (a reload is not a new
# choice, and logging it twice would skew the estimates).
STICKY = timedelta(hours=2)
MISSING = "No such suggestion."


class Recommender:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        sources: list[SuggestionSource],
        others: Others | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.sources = sources
        self.others = others
        self.rng = rng or np.random.default_rng(secrets.randbits(64))

    def activities(self, p: Principal) -> list[Activity]:
        refused = self._refused(p)
        found: dict[str, Activity] = {}
        for source in self.sources:
            for activity in source.activities(p):
                if activity.key not in refused:
                    found.setdefault(activity.key, activity)
        return list(found.values())

    def suggest(self, p: Principal) -> SuggestionOut | None:
        if p.ai_level == "off":
            return None
        options = {a.key: a for a in self.activities(p)}
        if not options:
            return None
        now = self.clock.now()
        self.settle(p)
        with self.db.transaction() as tx:
            recent = tx.scalar(
                select(Suggestion)
                .where(Suggestion.user_id == p.user_id, Suggestion.outcome.is_(None))
                .order_by(Suggestion.shown_at.desc())
                .limit(1)
            )
        if recent is not None and recent.shown_at > now - STICKY and recent.arm in options:
            return self._out(p, recent, options[recent.arm])
        last = self._last_checkin(p, now)
        local = now.astimezone(ZoneInfo(p.timezone))
        context = context_vector(
            local.hour,
            last.mood if last else None,
            last.energy if last else None,
            last.emotions if last else (),
        )
        policy = self.policy(p, list(options))
        choice = policy.choose(context, self.rng)
        row = Suggestion(
            id=new_id(),
            user_id=p.user_id,
            arm=choice.arm,
            context=context,
            propensity=choice.propensity,
            policy=POLICY,
            shown_at=now,
        )
        with self.db.transaction() as tx:
            tx.add(row)
        return self._out(p, row, options[choice.arm])

    def policy(self, p: Principal, arms: list[str]) -> ThompsonPolicy:
        policy = ThompsonPolicy(arms)
        for logged in self.history(p):
            policy.learn(logged.arm, logged.context, logged.reward)
        return policy

    def history(self, p: Principal) -> list[Logged]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(Suggestion)
                .where(Suggestion.user_id == p.user_id, Suggestion.reward.is_not(None))
                .order_by(Suggestion.shown_at)
            ).all()
        return [Logged(widen(r.context), r.arm, r.propensity, float(r.reward or 0.0)) for r in rows]

    def settle(self, p: Principal) -> int:
        """Turns what came of recent suggestions into their reward: each outcome rewards the
        latest suggestion of the same activity shown up to ``OUTCOME_WINDOW`` before it
        started, in place of the person's answer (what the ratings say is measured; the answer
        stays in the log only when nothing was measured). Returns how many were settled."""
        if self.others is None:
            return 0
        since = self.clock.now() - timedelta(days=SETTLE_DAYS)
        outcomes = self.others.outcomes(p, since - OUTCOME_WINDOW)
        if not outcomes:
            return 0
        settled = 0
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(Suggestion)
                .where(Suggestion.user_id == p.user_id, Suggestion.shown_at >= since)
                .order_by(Suggestion.shown_at)
            ).all()
            for outcome in outcomes:
                row = _suggestion_before(rows, outcome)
                if row is None or row.outcome in (PRACTISED, "not-for-me"):
                    continue
                row.outcome, row.reward = PRACTISED, outcome_reward(outcome)
                row.rewarded_at = self.clock.now()
                settled += 1
        return settled

    def answer(self, p: Principal, suggestion_id: str, outcome: str) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, Suggestion, p.user_id, suggestion_id, MISSING)
            if row.outcome is not None:
                raise Conflict("This suggestion was already answered.")
            row.outcome, row.reward, row.rewarded_at = outcome, REWARDS[outcome], self.clock.now()

    def not_for_me(self, p: Principal, suggestion_id: str) -> str:
        """Never suggest this again (the person can undo it in the list of refused ones)."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            row = owned(tx, Suggestion, p.user_id, suggestion_id, MISSING)
            if row.outcome is None:
                row.outcome, row.reward, row.rewarded_at = "not-for-me", 0.0, now
            if tx.get(NotForMe, (p.user_id, row.arm)) is None:
                tx.add(NotForMe(user_id=p.user_id, arm=row.arm, at=now))
            return row.arm

    def refused(self, p: Principal) -> list[str]:
        return sorted(self._refused(p))

    def allow_again(self, p: Principal, arm: str) -> None:
        with self.db.transaction() as tx:
            row = tx.get(NotForMe, (p.user_id, arm[:80]))
            if row is not None:
                tx.delete(row)

    def evaluate(self, p: Principal) -> dict[str, float | int]:
        """How the greedy policy (always the best-looking arm) would have done, estimated from
        this person's logs, beside what the logged policy earned."""
        logs = self.history(p)
        arms = sorted({e.arm for e in logs})
        if not logs:
            return {"logged": 0}
        policy = ThompsonPolicy(arms)
        for e in logs:
            policy.learn(e.arm, e.context, e.reward)

        def greedy(context: object) -> dict[str, float]:
            return {policy.greedy(context): 1.0}  # type: ignore[arg-type]

        return {
            "logged": len(logs),
            "logged_value": float(np.mean([e.reward for e in logs])),
            "greedy_ips": ips(logs, greedy),
            "greedy_snips": snips(logs, greedy),
        }

    def _refused(self, p: Principal) -> set[str]:
        with self.db.transaction() as tx:
            return set(tx.scalars(select(NotForMe.arm).where(NotForMe.user_id == p.user_id)))

    def _last_checkin(self, p: Principal, now: datetime) -> LatestCheckIn | None:
        if self.others is None:
            return None
        return self.others.latest_checkin(p, now - timedelta(hours=CONTEXT_HOURS))

    def _out(self, p: Principal, row: Suggestion, activity: Activity) -> SuggestionOut:
        return SuggestionOut(
            id=row.id,
            key=activity.key,
            label=activity.label,
            kind=activity.kind,
            link=activity.link,
            why=self._why(p, row),
        )

    def _why(self, p: Principal, row: Suggestion) -> str:
        """Plain words from the numbers the choice used: the time, the mood, the record."""
        local = row.shown_at.astimezone(ZoneInfo(p.timezone))
        parts = [f"it is {copy.WHY_TIME[time_of_day(local.hour)]}"]
        context = widen(row.context)  # bias, 3 times of day, mood, energy, 4 feeling groups
        mood, energy = round(context[4] * 5), round(context[5] * 5)
        if mood != 0:
            parts.append(f"your last check-in's mood was {mood:+d}")
        if energy != 0:
            parts.append(f"your energy was {energy:+d}")
        shares = context[6:]
        if max(shares) > 0:
            parts.append(f"you felt {copy.WHY_FEELINGS[GROUPS[shares.index(max(shares))]]}")
        tries = [e for e in self.history(p) if e.arm == row.arm]
        helped = sum(1 for e in tries if e.reward >= 0.6)
        if tries:
            parts.append(f"it helped you {helped} of the {len(tries)} times you told us")
        else:
            parts.append("you have not tried it here yet, and it may suit you")
        return "Suggested because " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."


def _suggestion_before(rows: Sequence[Suggestion], outcome: Outcome) -> Suggestion | None:
    """The latest suggestion of the outcome's activity shown within the window before it."""
    found = None
    for row in rows:
        if row.arm != outcome.key:
            continue
        if row.shown_at <= outcome.at <= row.shown_at + OUTCOME_WINDOW:
            found = row
    return found
