"""The coach's background jobs on huey (docs/architecture.md, "Jobs").

Two tasks, both given ids only: ``coach.tick`` (every minute: plan the reminders that fell due,
sweep up what a dead worker left) and ``coach.deliver`` (send a batch of deliveries by id).
Neither holds a key or any text: what they send is reviewed copy and a count. The queue is a
SQLite file in the data directory by default (``jobs.db``), or Redis when ``jobs_url`` names
one; it survives a restart, and the rows in ``coach_deliveries`` make every task idempotent, so
a task that runs twice (a retry, a task that a dead worker had taken) sends nothing twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from huey import Huey, SqliteHuey, crontab
from huey.consumer import Consumer, Scheduler

from steadymind.core.config import Settings
from steadymind.core.errors import ConfigError
from steadymind.features.coach.reminders import LEASE, ReminderService

log = logging.getLogger(__name__)
BATCH = 100  # deliveries per task: one claim, then each sent and marked (marks grouped)


class MinuteScheduler(Scheduler):  # type: ignore[misc]
    """huey's scheduler checks periodic tasks every 60 seconds from the moment the consumer
    started, so a reminder due at 09:00:00 could wait until 09:00:59 for its tick. This one
    checks at the start of each minute of the clock."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._next_periodic = time.monotonic() + (60.0 - time.time() % 60.0) % 60.0


class MinuteConsumer(Consumer):  # type: ignore[misc]
    scheduler_class = MinuteScheduler


def make_queue(settings: Settings, *, immediate: bool = False) -> Huey:
    """The job queue ``settings.jobs_url`` names: a SQLite file by default, or Redis."""
    url = settings.jobs_url
    if immediate:
        return Huey("steadymind", immediate=True, results=False)
    if url is None or url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///") if url else str(settings.data_dir / "jobs.db")
        return SqliteHuey("steadymind", filename=path, results=False, timeout=30)
    if url.startswith(("redis://", "rediss://", "unix://")):
        try:
            from huey import RedisHuey
        except ImportError:  # pragma: no cover (redis is in the extra)
            raise ConfigError(
                "A Redis job queue needs the redis extra: pip install 'steadymind[redis]'."
            ) from None
        return RedisHuey("steadymind", url=url, results=False)
    raise ConfigError("STEADYMIND_JOBS_URL must start with sqlite:/// or redis://.")


class Jobs:
    """The queue and the coach's tasks on it; ``consumer()`` runs them."""

    def __init__(
        self, settings: Settings, reminders: ReminderService, *, immediate: bool = False
    ) -> None:
        self.settings = settings
        self.reminders = reminders
        self.immediate = immediate
        self._huey: Huey | None = None
        self._more: list[Callable[[Huey], None]] = []

    def add_tasks(self, register: Callable[[Huey], None]) -> None:
        """More tasks on this queue (features/coach/notify.py), registered when it opens."""
        self._more.append(register)
        if self._huey is not None:
            register(self._huey)

    @property
    def huey(self) -> Huey:
        """The queue, opened on first use (a request that sends nothing opens no file)."""
        if self._huey is None:
            huey = make_queue(self.settings, immediate=self.immediate)
            self.deliver_task = huey.task(name="coach.deliver")(self._deliver)
            self.tick_task = huey.periodic_task(crontab(minute="*"), name="coach.tick")(self._tick)
            for register in self._more:
                register(huey)
            self._huey = huey
        return self._huey

    def _deliver(self, ids: list[str]) -> int:
        return self.reminders.deliver(list(ids))

    def _tick(self) -> int:
        planned = self.reminders.plan(ready=self.enqueue)
        swept = self.reminders.sweep()
        self.enqueue(swept)
        return len(planned) + len(swept)

    def enqueue(self, ids: list[str]) -> None:
        self.huey  # noqa: B018 (opens the queue and registers the tasks)
        for start in range(0, len(ids), BATCH):
            self.deliver_task(ids[start : start + BATCH])

    def tick_now(self) -> None:
        """Plan and sweep now, as a worker starts (not only on the minute), and again when the
        lease of whatever a dead worker held has run out, so its messages go out within about
        half a minute of the restart rather than at the next minute's sweep after that."""
        huey = self.huey
        huey.enqueue(self.tick_task.s())
        self.tick_task.schedule(delay=LEASE.total_seconds() + 1)

    def consumer(self, workers: int | None = None) -> Consumer:
        return MinuteConsumer(
            self.huey,
            workers=workers or self.settings.jobs_workers,
            worker_type="thread",
            periodic=True,
            initial_delay=0.05,
            max_delay=1.0,
            check_worker_health=True,
        )

    def start_in_process(self) -> Callable[[], None]:
        """Run the workers in threads of this process (``steadymind serve``); returns stop."""
        consumer = self.consumer()
        consumer.start()
        self.tick_now()
        log.info("job workers started in-process (%d threads)", consumer.workers)

        def stop() -> None:
            consumer.stop(graceful=True)

        return stop

    def run_worker(self, workers: int | None = None) -> None:
        """Run until interrupted (``steadymind worker``)."""
        consumer = self.consumer(workers)
        self.tick_now()
        consumer.run()
