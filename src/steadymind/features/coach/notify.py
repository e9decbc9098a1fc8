"""What the coach delivers for other features (runtime capabilities, issue 15).

- :class:`Notices` is the ``runtime.Notifier``: a fixed, reviewed message to someone the person
  named (a supporter), on email, ntfy or a webhook. Each message is a row of ``coach_notices``
  with a unique ``key`` (the person's, the notice's and the address kind's), so a notice asked
  for twice (a page opened twice the same day) is sent once; it is claimed before it is sent and
  swept again after a lease, like a reminder's delivery, so a restart neither loses nor repeats
  it. The job holds no key, so the address and the words wait in plaintext, and only until the
  message is sent or given up: then they are blanked, and what remains is when, where (the kind)
  and whether it went (docs/security.md).
- :meth:`Notices.plan_due` reads the ``runtime.ReminderSource`` (the questionnaires the person
  scheduled) and turns what fell due into ordinary reminder deliveries on the person's channels
  (in the app always, and every channel they added), at 09:00 on the due day in their zone, held
  by their quiet hours; once per (person, reminder, day).

The tasks run on the coach's huey queue (``coach.notice``, and ``coach.notices`` every minute).
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from huey import Huey, crontab
from sqlalchemy import ForeignKey, String, Text, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from steadymind.core.clock import Clock
from steadymind.core.errors import ValidationError
from steadymind.core.tabular import to_csv
from steadymind.crypto.principal import Principal
from steadymind.db.base import Base, UTCDateTime, new_id
from steadymind.db.engine import Database
from steadymind.features.coach import copy
from steadymind.features.coach.channels import Message, Senders, check_target
from steadymind.features.coach.jobs import Jobs
from steadymind.features.coach.reminders import LEASE, MAX_ATTEMPTS, ReminderService
from steadymind.features.coach.schedule import in_quiet_hours
from steadymind.features.coach.tables import Channel, CoachPrefs, Delivery
from steadymind.runtime import Notice, NoticeResult, ReminderSource, Runtime

log = logging.getLogger(__name__)
KINDS = ("email", "ntfy", "webhook")
DUE_AT = time(9, 0)  # a scheduled questionnaire's reminder: 09:00 on its day, the person's clock
TESTS_PER_DAY = 3  # "send a test to my supporter": enough to check, too few to pester anyone


class SupporterNotice(Base):
    """One message to a supporter on one address. ``target``, ``title`` and ``body`` are
    plaintext while it waits (a job with no key sends it) and blanked once it is sent or given
    up; ``error`` is an exception's type, never text."""

    __tablename__ = "coach_notices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    send_at: Mapped[datetime] = mapped_column(UTCDateTime())
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Notices:
    """The coach's ``Notifier``, and the planner of other features' due reminders."""

    def __init__(
        self, runtime: Runtime, senders: Senders, reminders: ReminderService, jobs: Jobs
    ) -> None:
        self.runtime = runtime
        self.db: Database = runtime.db
        self.clock: Clock = runtime.clock
        self.senders = senders
        self.reminders = reminders
        self.jobs = jobs
        jobs.add_tasks(self.register)

    # -- the Notifier ---------------------------------------------------------------------------

    def notify(self, owner: Principal, notice: Notice) -> int:
        ids = self._queue(owner, notice, notice.key)
        if ids:
            self.enqueue(ids)
        return len(ids)

    def send_now(self, owner: Principal, notice: Notice) -> list[NoticeResult]:
        today = self.clock.now().date().isoformat()
        with self.db.transaction() as tx:
            tests = tx.scalar(
                select(func.count())
                .select_from(SupporterNotice)
                .where(
                    SupporterNotice.user_id == owner.user_id,
                    SupporterNotice.key.like(f"{owner.user_id}:test:{today}:%"),
                )
            )
        if (tests or 0) >= TESTS_PER_DAY * max(len(notice.to), 1):
            raise ValidationError(f"A test can be sent {TESTS_PER_DAY} times a day.")
        ids = self._queue(owner, notice, f"test:{today}:{new_id()}")
        self.deliver(ids, final=True)
        with self.db.transaction() as tx:
            rows = tx.scalars(select(SupporterNotice).where(SupporterNotice.id.in_(ids))).all()
        # In the order the addresses were given: the database returns rows in any order (the
        # page read "Webhook: sent · Email: sent" one time in two under load).
        rows = sorted(rows, key=lambda r: ids.index(r.id))
        return [NoticeResult(r.kind, r.status == "sent", r.error) for r in rows]

    def _queue(self, owner: Principal, notice: Notice, key: str) -> list[str]:
        now = self.clock.now()
        rows = []
        for kind, address in dict(notice.to).items():
            if kind not in KINDS:
                raise ValidationError(f"A notice goes by {', '.join(KINDS)}.")
            rows.append(
                SupporterNotice(
                    id=new_id(), key=f"{owner.user_id}:{key}:{kind}"[:200], user_id=owner.user_id,
                    kind=kind, target=check_target(kind, address), title=notice.title,
                    body=notice.body, status="pending", attempts=0, send_at=now, queued_at=now,
                    created_at=now,
                )
            )  # fmt: skip
        queued = []
        for row in rows:  # one transaction each: a key seen before is skipped, not an error
            try:
                with self.db.transaction() as tx:
                    if tx.scalar(select(SupporterNotice.id).where(SupporterNotice.key == row.key)):
                        continue
                    tx.add(row)
                queued.append(row.id)
            except IntegrityError:  # another request queued the same key just now
                continue
        return queued

    # -- the jobs' side: no key, plaintext columns only ------------------------------------------

    def register(self, huey: Huey) -> None:
        self.notice_task = huey.task(name="coach.notice")(self.deliver)
        huey.periodic_task(crontab(minute="*"), name="coach.notices")(self.tick)

    def enqueue(self, ids: list[str]) -> None:
        self.jobs.huey  # noqa: B018 (opens the queue and registers the tasks)
        self.notice_task(list(ids))

    def tick(self) -> int:
        swept = self.sweep()
        if swept:
            self.enqueue(swept)
        due = self.plan_due()
        if due:
            self.jobs.enqueue(due)
        return len(swept) + len(due)

    def sweep(self, now: datetime | None = None) -> list[str]:
        """Notices to (re)send: due and not handed to a job, or taken by a job that died."""
        now = now or self.clock.now()
        stale = now - LEASE
        with self.db.transaction() as tx:
            ids = list(
                tx.scalars(
                    select(SupporterNotice.id).where(
                        SupporterNotice.send_at <= now,
                        or_(
                            and_(
                                SupporterNotice.status == "pending",
                                or_(
                                    SupporterNotice.queued_at.is_(None),
                                    SupporterNotice.queued_at < stale,
                                ),
                            ),
                            and_(
                                SupporterNotice.status == "sending",
                                SupporterNotice.claimed_at < stale,
                            ),
                        ),
                    )
                )
            )
            if ids:
                tx.execute(
                    update(SupporterNotice)
                    .where(SupporterNotice.id.in_(ids))
                    .values(status="pending", queued_at=now)
                    .execution_options(synchronize_session=False)
                )
        return ids

    def deliver(self, ids: list[str], *, final: bool = False) -> int:
        """Send the given notices still pending (each claimed first, so twice sends once)."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            claimed = list(
                tx.scalars(
                    update(SupporterNotice)
                    .where(SupporterNotice.id.in_(list(ids)), SupporterNotice.status == "pending")
                    .values(status="sending", claimed_at=now, attempts=SupporterNotice.attempts + 1)
                    .returning(SupporterNotice.id)
                    .execution_options(synchronize_session=False)
                )
            )
            work = tx.scalars(select(SupporterNotice).where(SupporterNotice.id.in_(claimed))).all()
            tx.expunge_all()
        sent = 0
        with self.senders.batch():
            for row in work:
                sent += self._send_one(row, final=final)
        return sent

    def _send_one(self, row: SupporterNotice, *, final: bool) -> int:
        message = Message(row.id, "supporter", row.title, row.body, 1, row.created_at.isoformat())
        try:
            self.senders.send(row.kind, row.target, message)
        except Exception as exc:  # the far end failed: recorded by type, retried with backoff
            log.warning(
                "notice %s on a %s address failed: %s", row.id, row.kind, type(exc).__name__
            )
            self._finish(row, error=type(exc).__name__, final=final)
            return 0
        self._finish(row)
        return 1

    def _finish(
        self, row: SupporterNotice, *, error: str | None = None, final: bool = False
    ) -> None:
        now = self.clock.now()
        values: dict[str, Any]
        if error is None:
            values = {"status": "sent", "sent_at": now, "error": None}
        elif final or row.attempts >= MAX_ATTEMPTS:
            values = {"status": "failed", "error": error[:80]}
        else:
            retry = now + timedelta(minutes=2 ** min(row.attempts, 6))
            values = {"status": "pending", "send_at": retry, "queued_at": None, "error": error[:80]}
        if values["status"] != "pending":  # done with: the address and the words go
            values |= {"target": "", "title": "", "body": ""}
        with self.db.transaction() as tx:
            tx.execute(
                update(SupporterNotice)
                .where(SupporterNotice.id == row.id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    # -- other features' due reminders -----------------------------------------------------------

    def plan_due(self, now: datetime | None = None) -> list[str]:
        """Deliveries for every reminder a ``ReminderSource`` says fell due, on the person's
        channels; returns those to send now (quiet hours hold the rest for the sweep)."""
        source: ReminderSource | None = self.runtime.find(ReminderSource)
        if source is None:
            return []
        now = now or self.clock.now()
        ready: list[str] = []
        for due in source.due_reminders(now):
            if due.about not in source.messages:
                continue
            with self.db.transaction() as tx:
                ready += self._plan_one(tx, due.user_id, due.about, due.day.isoformat(), now)
        return ready

    def _plan_one(
        self, tx: Session, user_id: str, about: str, day: str, now: datetime
    ) -> list[str]:
        pref = tx.get(CoachPrefs, user_id)
        tz = pref.tz if pref else "UTC"
        when = datetime.combine(datetime.fromisoformat(day).date(), DUE_AT, ZoneInfo(tz))
        if when > now:
            return []
        held = in_quiet_hours(now, tz, pref.quiet_start, pref.quiet_end) if pref else None
        send_at = held or now
        ready = []
        for channel_id in self._channels(tx, user_id, now):
            key = f"due:{user_id}:{about}:{day}:{channel_id}"
            if tx.scalar(select(Delivery.id).where(Delivery.key == key)):
                continue
            row = Delivery(
                id=new_id(), key=key, user_id=user_id, channel_id=channel_id, about=about,
                count=1, due_at=when, send_at=send_at, status="pending", attempts=0,
                queued_at=now if send_at <= now else None,
            )  # fmt: skip
            tx.add(row)
            if send_at <= now:
                ready.append(row.id)
        return ready

    def _channels(self, tx: Session, user_id: str, now: datetime) -> list[str]:
        rows = tx.scalars(select(Channel).where(Channel.user_id == user_id)).all()
        if not any(c.kind == "inapp" for c in rows):  # in the app, always
            inapp = Channel(id=new_id(), user_id=user_id, kind="inapp", target="", created_at=now)
            tx.add(inapp)
            tx.flush()
            rows = [*rows, inapp]
        return [c.id for c in rows]


def offered_words(runtime: Runtime) -> copy.Lookup:
    """The reviewed words of the reminders another feature offers, found when composed."""

    def lookup(about: str) -> tuple[str, str] | None:
        source: ReminderSource | None = runtime.find(ReminderSource)
        return None if source is None else source.messages.get(about)

    return lookup


class NoticeData:
    """The notices in the person's export (when, how, whether it went: never the words, which
    are blanked once sent) and gone with their account."""

    keyless: dict[str, tuple[str, ...]] = {  # noqa: RUF012 (read-only, shared)
        "coach_notices": (
            "id", "key", "user_id", "kind", "target", "title", "body", "status", "attempts",
            "send_at", "queued_at", "claimed_at", "sent_at", "error", "created_at",
        ),
    }  # fmt: skip

    def __init__(self, db: Database) -> None:
        self.db = db

    def export(self, owner: Principal) -> dict[str, Any]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(SupporterNotice)
                .where(SupporterNotice.user_id == owner.user_id)
                .order_by(SupporterNotice.created_at)
            ).all()
            notices = [
                {
                    "kind": r.kind,
                    "status": r.status,
                    "created_at": r.created_at.isoformat(),
                    "sent_at": r.sent_at.isoformat() if r.sent_at else None,
                    "title": r.title,
                    "body": r.body,
                }
                for r in rows
            ]
        return {"supporter_notices": notices}

    def files(self, sections: dict[str, Any]) -> dict[str, str]:
        return {"supporter_notices.csv": to_csv(sections["supporter_notices"])}

    def erase(self, tx: Session, user_id: str) -> None:
        tx.execute(delete(SupporterNotice).where(SupporterNotice.user_id == user_id))
