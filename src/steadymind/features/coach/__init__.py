"""The coach: goals in small steps, habits with gentle progress, reminders that arrive on the
person's channels, and suggestions that learn what helps this person."""

from __future__ import annotations

from datetime import datetime

from steadymind.crypto.principal import Principal
from steadymind.features.coach import copy
from steadymind.features.coach.channels import Senders
from steadymind.features.coach.jobs import Jobs
from steadymind.features.coach.notify import NoticeData, Notices, offered_words
from steadymind.features.coach.personal import CoachData
from steadymind.features.coach.recommend import Recommender
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.service import GOAL, HABIT, CoachService
from steadymind.runtime import (
    CheckInContext,
    Feature,
    LatestCheckIn,
    Notifier,
    Outcome,
    OutcomeSource,
    Runtime,
)


class _Others:
    """What other features offer the recommender, looked up at each call (features are set up
    in order, and the ones that offer check-ins and practice outcomes may come after this one)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def latest_checkin(self, owner: Principal, since: datetime) -> LatestCheckIn | None:
        source: CheckInContext | None = self.runtime.find(CheckInContext)
        return source.latest_checkin(owner, since) if source is not None else None

    def outcomes(self, owner: Principal, since: datetime) -> list[Outcome]:
        source: OutcomeSource | None = self.runtime.find(OutcomeSource)
        return source.outcomes(owner, since) if source is not None else []


def setup(runtime: Runtime) -> None:
    coach = runtime.provide(
        CoachService(runtime.db, runtime.clock, runtime.seam, factors=runtime.factor_sources)
    )
    runtime.add_factor_source(coach)
    senders = Senders(runtime.settings)
    reminders = runtime.provide(ReminderService(runtime.db, runtime.clock, senders))
    jobs = runtime.provide(Jobs(runtime.settings, reminders))
    # Supporters' notices and other features' due reminders (issue 15): features/coach/notify.py
    runtime.provide(Notices(runtime, senders, reminders, jobs), Notifier)
    runtime.add_personal_data(NoticeData(runtime.db))
    copy.offer(offered_words(runtime))
    runtime.add_background(jobs.start_in_process)
    recommender = runtime.provide(
        Recommender(runtime.db, runtime.clock, runtime.suggestion_sources, others=_Others(runtime))
    )
    runtime.seam.register_surface(HABIT)
    runtime.seam.register_surface(GOAL)
    runtime.add_personal_data(CoachData(runtime.db, coach, reminders, recommender))


FEATURE = Feature(name="coach", setup=setup, requires=("accounts",))
