"""One suggestion at a time, learned for this person, explained, and refusable.

The activities come from whichever features offer them (``runtime.SuggestionSource``); the
context is the person's clock and their last check-in's mood and energy (``runtime.MoodSource``
gives the mood); the reward is what they say afterwards ("it helped", "a little", "not really")
or 0 when they skip it. Every suggestion is logged with its context and propensity so that a new
policy can be judged offline (:mod:`.bandit`) before it replaces this one. Nothing is suggested
when the person's AI setting is "off".
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
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
    Logged,
    ThompsonPolicy,
    context_vector,
    ips,
    snips,
    time_of_day,
)
from steadymind.features.coach.schemas import SuggestionOut
from steadymind.features.coach.tables import NotForMe, Suggestion
from steadymind.runtime import Activity, MoodSource, SuggestionSource

POLICY = "linear-ts-v1"
REWARDS = {"helped": 1.0, "a-little": 0.6, "not-really": 0.2, "skipped": 0.0}
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
        moods: MoodSource | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.sources = sources
        self.moods = moods
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
        with self.db.transaction() as tx:
            recent = tx.scalar(
                select(Suggestion)
                .where(Suggestion.user_id == p.user_id, Suggestion.outcome.is_(None))
                .order_by(Suggestion.shown_at.desc())
                .limit(1)
            )
        if recent is not None and recent.shown_at > now - STICKY and recent.arm in options:
            return self._out(p, recent, options[recent.arm])
        mood = self._last_mood(p, now)
        local = now.astimezone(ZoneInfo(p.timezone))
        context = context_vector(local.hour, mood, None)
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
        return [Logged(r.context, r.arm, r.propensity, float(r.reward or 0.0)) for r in rows]

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

    def _last_mood(self, p: Principal, now: datetime) -> int | None:
        if self.moods is None:
            return None
        moods = self.moods.recent_moods(p, now - timedelta(hours=12))
        return moods[-1][1] if moods else None

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
        mood = round(row.context[4] * 5)  # context_vector: bias, 3 times of day, mood, energy
        if mood != 0:
            parts.append(f"your last check-in's mood was {mood:+d}")
        tries = [e for e in self.history(p) if e.arm == row.arm]
        helped = sum(1 for e in tries if e.reward >= 0.6)
        if tries:
            parts.append(f"it helped you {helped} of the {len(tries)} times you told us")
        else:
            parts.append("you have not tried it here yet, and it may suit you")
        return "Suggested because " + ", ".join(parts[:-1]) + " and " + parts[-1] + "."
