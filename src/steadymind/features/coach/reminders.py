"""Reminders that arrive: the person's side (channels, reminders, quiet hours, the in-app inbox,
snooze, "send a test") and the jobs' side (plan what fell due, send it once).

The jobs' side holds no key and reads only plaintext columns. Each message is a row in
``coach_deliveries`` with a unique ``key`` (a reminder's occurrence on a channel, a digest, a
test, a snooze): planning advances the reminder in the same transaction that writes the rows, and
sending claims a row before it sends, so a worker that dies and starts again neither loses nor
repeats a message. The one gap no database can close is a crash between the receiver accepting
a message and our marking it sent: the retry carries the same id (``Idempotency-Key`` on a
webhook), so a receiver that keeps ids sees it once.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from steadymind.core.clock import Clock
from steadymind.core.errors import ValidationError
from steadymind.crypto.principal import Principal
from steadymind.db.base import new_id
from steadymind.db.engine import Database
from steadymind.db.rows import owned
from steadymind.features.coach import copy
from steadymind.features.coach.channels import Message, Senders, check_target
from steadymind.features.coach.schedule import Schedule, in_quiet_hours, next_time
from steadymind.features.coach.schemas import (
    ChannelIn,
    ChannelOut,
    InboxItem,
    PrefsIn,
    PrefsOut,
    ReminderIn,
    ReminderOut,
)
from steadymind.features.coach.tables import Channel, CoachPrefs, Delivery, Habit, Reminder

log = logging.getLogger(__name__)
MISSING_REMINDER = "No such reminder."
MISSING_CHANNEL = "No such channel."
MISSING_MESSAGE = "No such message."
# A job that took a delivery and did not finish it within this long died: it is sent again.
LEASE = timedelta(seconds=30)
# A reminder that fell due this long ago while no worker ran is stale: skipped, not sent late.
STALE = timedelta(hours=2)
MAX_ATTEMPTS = 5
PLAN_BATCH = 2000


class GroupCommit:
    """Marks deliveries sent, many threads' marks in one transaction (one fsync), each sender
    waiting until its own mark is committed before it sends the next message: so a worker that
    dies leaves at most one message per thread sent and unmarked (sent again, with the same id),
    while the database commits a group at a time instead of one row at a time."""

    def __init__(self, write: Callable[[list[str]], None]) -> None:
        self._write = write
        self._cond = threading.Condition()
        self._queue: list[str] = []
        self._issued = 0  # tickets handed out
        self._committed = 0  # every ticket up to this one is written (or failed)
        self._busy = False

    def submit(self, item: str) -> None:
        with self._cond:
            self._queue.append(item)
            self._issued += 1
            ticket = self._issued
            while self._committed < ticket:
                if self._busy:
                    self._cond.wait()
                    continue
                batch, upto = self._queue, self._issued
                self._queue, self._busy = [], True
                self._cond.release()
                try:
                    self._write(batch)
                finally:
                    self._cond.acquire()
                    self._busy, self._committed = False, upto
                    self._cond.notify_all()


def _schedule(row: Reminder) -> Schedule:
    return Schedule(row.kind, row.weekdays, row.every_n, row.start_day)  # type: ignore[arg-type]


class ReminderService:
    def __init__(self, db: Database, clock: Clock, senders: Senders) -> None:
        self.db = db
        self.clock = clock
        self.senders = senders
        self._marks = GroupCommit(self._mark_sent)

    # -- the person's side -------------------------------------------------------------------

    def prefs(self, p: Principal) -> PrefsOut:
        """The person's reminder settings; their time zone follows the account's (travel)."""
        with self.db.transaction() as tx:
            row = self._prefs_row(tx, p)
        return PrefsOut(
            tz=row.tz, quiet_start=row.quiet_start, quiet_end=row.quiet_end, digest=row.digest
        )

    def set_prefs(self, p: Principal, data: PrefsIn) -> PrefsOut:
        if (data.quiet_start is None) != (data.quiet_end is None):
            raise ValidationError("Give quiet hours a start and an end, or neither.")
        with self.db.transaction() as tx:
            row = self._prefs_row(tx, p)
            row.quiet_start, row.quiet_end, row.digest = (
                data.quiet_start,
                data.quiet_end,
                data.digest,
            )
            row.updated_at = self.clock.now()
        return self.prefs(p)

    def _prefs_row(self, tx: Session, p: Principal) -> CoachPrefs:
        row = tx.get(CoachPrefs, p.user_id)
        now = self.clock.now()
        if row is None:
            row = CoachPrefs(user_id=p.user_id, tz=p.timezone, digest=True, updated_at=now)
            tx.add(row)
            tx.flush()
        elif row.tz != p.timezone:
            # They moved (or changed their zone): every reminder keeps its clock time there.
            row.tz, row.updated_at = p.timezone, now
            for reminder in tx.scalars(select(Reminder).where(Reminder.user_id == p.user_id)):
                reminder.next_due_at = next_time(_schedule(reminder), reminder.at_time, row.tz, now)
        return row

    def channels(self, p: Principal) -> list[ChannelOut]:
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(Channel).where(Channel.user_id == p.user_id).order_by(Channel.created_at)
            ).all()
        return [_channel_out(r) for r in rows]

    def add_channel(self, p: Principal, data: ChannelIn) -> ChannelOut:
        target = check_target(data.kind, data.target)
        with self.db.transaction() as tx:
            if data.kind == "inapp":
                return _channel_out(self._inapp(tx, p))
            row = Channel(
                id=new_id(),
                user_id=p.user_id,
                kind=data.kind,
                target=target,
                created_at=self.clock.now(),
            )
            tx.add(row)
        return _channel_out(row)

    def remove_channel(self, p: Principal, channel_id: str) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, Channel, p.user_id, channel_id, MISSING_CHANNEL)
            for reminder in tx.scalars(select(Reminder).where(Reminder.user_id == p.user_id)):
                if channel_id in reminder.channel_ids:
                    reminder.channel_ids = [c for c in reminder.channel_ids if c != channel_id]
            tx.delete(row)

    def _inapp(self, tx: Session, p: Principal) -> Channel:
        found = tx.scalar(
            select(Channel).where(Channel.user_id == p.user_id, Channel.kind == "inapp")
        )
        if found is not None:
            return found
        row = Channel(
            id=new_id(), user_id=p.user_id, kind="inapp", target="", created_at=self.clock.now()
        )
        tx.add(row)
        tx.flush()
        return row

    def send_test(self, p: Principal, channel_id: str) -> tuple[bool, str | None]:
        """Send the test message now, through the same path as a reminder: (sent, why not)."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            channel = owned(tx, Channel, p.user_id, channel_id, MISSING_CHANNEL)
            row = Delivery(
                id=new_id(),
                key=f"test:{channel.id}:{new_id()}",
                user_id=p.user_id,
                channel_id=channel.id,
                about="test",
                count=1,
                due_at=now,
                send_at=now,
                status="pending",
                attempts=0,
                queued_at=now,
            )
            tx.add(row)
        self.deliver([row.id], final=True)
        with self.db.transaction() as tx:
            done = tx.get(Delivery, row.id)
            assert done is not None
            if done.status == "sent":
                tested = tx.get(Channel, channel_id)
                if tested is not None:
                    tested.tested_at = now
            return done.status == "sent", done.error

    def add_reminder(self, p: Principal, data: ReminderIn) -> ReminderOut:
        now = self.clock.now()
        with self.db.transaction() as tx:
            prefs = self._prefs_row(tx, p)
            if data.about == "habit":
                if data.habit_id is None:
                    raise ValidationError("Say which habit the reminder is for.")
                owned(tx, Habit, p.user_id, data.habit_id, "No such habit.")
            channel_ids = list(dict.fromkeys(data.channel_ids)) or [self._inapp(tx, p).id]
            for channel_id in channel_ids:
                owned(tx, Channel, p.user_id, channel_id, MISSING_CHANNEL)
            schedule = Schedule(
                data.kind, data.weekdays, data.every_n, now.astimezone(ZoneInfo(prefs.tz)).date()
            )
            row = Reminder(
                id=new_id(),
                user_id=p.user_id,
                about=data.about,
                habit_id=data.habit_id if data.about == "habit" else None,
                kind=schedule.kind,
                weekdays=schedule.weekdays,
                every_n=schedule.every_n,
                start_day=schedule.start,
                at_time=data.at,
                channel_ids=channel_ids,
                active=True,
                next_due_at=next_time(schedule, data.at, prefs.tz, now),
                created_at=now,
            )
            tx.add(row)
        return _reminder_out(row)

    def reminders(self, p: Principal) -> list[ReminderOut]:
        with self.db.transaction() as tx:
            self._prefs_row(tx, p)
            rows = tx.scalars(
                select(Reminder).where(Reminder.user_id == p.user_id).order_by(Reminder.at_time)
            ).all()
        return [_reminder_out(r) for r in rows]

    def remove_reminder(self, p: Principal, reminder_id: str) -> None:
        with self.db.transaction() as tx:
            tx.delete(owned(tx, Reminder, p.user_id, reminder_id, MISSING_REMINDER))

    def inbox(self, p: Principal, limit: int = 20) -> list[InboxItem]:
        """Messages sent to the app and not yet dismissed, newest first."""
        with self.db.transaction() as tx:
            rows = tx.scalars(
                select(Delivery)
                .join(Channel, Channel.id == Delivery.channel_id)
                .where(
                    Delivery.user_id == p.user_id,
                    Channel.kind == "inapp",
                    Delivery.status == "sent",
                    Delivery.seen_at.is_(None),
                )
                .order_by(Delivery.sent_at.desc())
                .limit(limit)
            ).all()
        return [
            InboxItem(
                id=r.id,
                title=copy.message(r.about, r.count)[0],
                body=copy.message(r.about, r.count)[1],
                sent_at=r.sent_at,
            )
            for r in rows
        ]

    def dismiss(self, p: Principal, delivery_id: str) -> None:
        with self.db.transaction() as tx:
            row = owned(tx, Delivery, p.user_id, delivery_id, MISSING_MESSAGE)
            row.seen_at = self.clock.now()

    def snooze(self, p: Principal, delivery_id: str, minutes: int = 60) -> None:
        """The message comes back in ``minutes`` on the same channel (and leaves the inbox now)."""
        if not 5 <= minutes <= 24 * 60:
            raise ValidationError("Snooze for 5 minutes to a day.")
        now = self.clock.now()
        with self.db.transaction() as tx:
            row = owned(tx, Delivery, p.user_id, delivery_id, MISSING_MESSAGE)
            row.seen_at = now
            again = now + timedelta(minutes=minutes)
            tx.add(
                Delivery(
                    id=new_id(),
                    key=f"snooze:{row.id}:{again.isoformat()}",
                    user_id=p.user_id,
                    channel_id=row.channel_id,
                    about=row.about,
                    count=row.count,
                    due_at=row.due_at,
                    send_at=again,
                    status="pending",
                    attempts=0,
                )
            )

    # -- the jobs' side: no key, plaintext columns only --------------------------------------

    def plan(
        self, now: datetime | None = None, ready: Callable[[list[str]], None] | None = None
    ) -> list[str]:
        """Turn every reminder that fell due into deliveries (one per channel, or one digest
        per channel when several fall together and the person chose the digest), move each
        reminder to its next time, and return the ids of the deliveries to send now. Each
        committed batch's ids go to ``ready`` at once (the jobs queue them while the next
        batch is planned)."""
        now = now or self.clock.now()
        planned: list[str] = []
        while True:
            with self.db.transaction() as tx:
                due = tx.scalars(
                    select(Reminder)
                    .where(Reminder.active.is_(True), Reminder.next_due_at <= now)
                    .order_by(Reminder.next_due_at)
                    .limit(PLAN_BATCH)
                ).all()
                if not due:
                    return planned
                batch = self._plan_batch(tx, list(due), now)
            planned += batch
            if ready is not None:
                ready(batch)

    def _plan_batch(self, tx: Session, due: list[Reminder], now: datetime) -> list[str]:
        users = {r.user_id for r in due}
        prefs = {
            p.user_id: p
            for p in tx.scalars(select(CoachPrefs).where(CoachPrefs.user_id.in_(users)))
        }
        channels = {c.id: c for c in tx.scalars(select(Channel).where(Channel.user_id.in_(users)))}
        groups: dict[tuple[str, str, datetime], list[tuple[Reminder, datetime]]] = defaultdict(list)
        for reminder in due:
            when = reminder.next_due_at
            assert when is not None
            pref = prefs.get(reminder.user_id)
            tz = pref.tz if pref else "UTC"
            following = next_time(_schedule(reminder), reminder.at_time, tz, max(when, now - STALE))
            moved = tx.execute(
                update(Reminder)
                .where(Reminder.id == reminder.id, Reminder.next_due_at == when)
                .values(next_due_at=following)
                .execution_options(synchronize_session=False)
            )
            # Another planner took it (rowcount 0), or it is stale: nothing to send.
            if moved.rowcount != 1 or when < now - STALE:  # type: ignore[attr-defined]
                continue
            quiet_end = in_quiet_hours(when, tz, pref.quiet_start, pref.quiet_end) if pref else None
            send_at = quiet_end or when
            for channel_id in reminder.channel_ids:
                channel = channels.get(channel_id)
                if channel is not None and channel.user_id == reminder.user_id:
                    groups[(reminder.user_id, channel_id, send_at)].append((reminder, when))
        rows: list[dict[str, Any]] = []
        for (user_id, channel_id, send_at), items in groups.items():
            pref = prefs.get(user_id)
            if len(items) > 1 and pref is not None and pref.digest:
                key = f"digest:{channel_id}:{send_at.isoformat()}"
                rows.append(
                    _delivery(key, user_id, channel_id, "digest", len(items), send_at, send_at)
                )
                continue
            for reminder, when in items:
                key = f"r:{reminder.id}:{channel_id}:{when.isoformat()}"
                rows.append(_delivery(key, user_id, channel_id, reminder.about, 1, when, send_at))
        for row in rows:
            row["queued_at"] = now if row["send_at"] <= now else None
        if rows:  # one INSERT of many rows: planning ten thousand takes a second, not ten
            tx.execute(insert(Delivery), rows)
        log.info("planned %d deliveries from %d reminders", len(rows), len(due))
        return [r["id"] for r in rows if r["send_at"] <= now]

    def sweep(self, now: datetime | None = None) -> list[str]:
        """Deliveries to (re)send: due and never handed to a job (held by quiet hours, a
        snooze, a retry), handed over more than a lease ago and still pending (the queue lost
        it), or taken by a job that died mid-send."""
        now = now or self.clock.now()
        stale = now - LEASE
        with self.db.transaction() as tx:
            ids = list(
                tx.scalars(
                    select(Delivery.id).where(
                        Delivery.send_at <= now,
                        or_(
                            and_(
                                Delivery.status == "pending",
                                or_(Delivery.queued_at.is_(None), Delivery.queued_at < stale),
                            ),
                            and_(Delivery.status == "sending", Delivery.claimed_at < stale),
                        ),
                    )
                )
            )
            for chunk in _chunks(ids, 500):
                tx.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(chunk), Delivery.status.in_(("pending", "sending")))
                    .values(status="pending", queued_at=now)
                    .execution_options(synchronize_session=False)
                )
        if ids:
            log.info("sweep found %d deliveries to send", len(ids))
        return ids

    def deliver(self, ids: list[str], *, final: bool = False) -> int:
        """Send the given deliveries that are still pending; returns how many were sent. Each
        is claimed first (pending -> sending), so two jobs given the same id send it once."""
        now = self.clock.now()
        with self.db.transaction() as tx:
            claimed = (
                tx.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids), Delivery.status == "pending")
                    .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
                    .returning(Delivery.id)
                    .execution_options(synchronize_session=False)
                )
                .scalars()
                .all()
            )
            if not claimed:
                return 0
            work = tx.execute(
                select(Delivery, Channel.kind, Channel.target)
                .join(Channel, Channel.id == Delivery.channel_id)
                .where(Delivery.id.in_(claimed))
            ).all()
            tx.expunge_all()
        sent = 0
        with self.senders.batch():
            for row, kind, target in work:
                sent += self._send_one(row, kind, target, final=final)
        return sent

    def _send_one(self, row: Delivery, kind: str, target: str, *, final: bool) -> int:
        title, body = copy.message(row.about, row.count)
        message = Message(row.id, row.about, title, body, row.count, row.due_at.isoformat())
        try:
            self.senders.send(kind, target, message)
        except Exception as exc:  # any failure of the far end: recorded by type, retried
            self._failed(row, kind, type(exc).__name__, final=final)
            return 0
        try:
            self._marks.submit(row.id)
        except Exception:  # the mark was not written: the lease sweep sends it again
            log.exception("delivery %s was sent but could not be marked", row.id)
            return 0
        return 1

    def _mark_sent(self, ids: list[str]) -> None:
        with self.db.transaction() as tx:
            tx.execute(
                update(Delivery)
                .where(Delivery.id.in_(ids))
                .values(status="sent", sent_at=self.clock.now(), error=None)
                .execution_options(synchronize_session=False)
            )

    def _failed(self, row: Delivery, kind: str, error: str, *, final: bool) -> None:
        log.warning("delivery %s on a %s channel failed: %s", row.id, kind, error)
        gave_up = final or row.attempts >= MAX_ATTEMPTS  # attempts counts this one
        retry_at = self.clock.now() + timedelta(minutes=2 ** min(row.attempts, 6))
        with self.db.transaction() as tx:
            tx.execute(
                update(Delivery)
                .where(Delivery.id == row.id)
                .values(
                    status="failed" if gave_up else "pending",
                    send_at=row.send_at if gave_up else retry_at,
                    queued_at=None,
                    error=error[:80],
                )
                .execution_options(synchronize_session=False)
            )

    def counts(self) -> dict[str, int]:
        """Deliveries by status (for the worker's log line and the benchmark)."""
        from sqlalchemy import func

        with self.db.transaction() as tx:
            return dict(
                tx.execute(select(Delivery.status, func.count()).group_by(Delivery.status)).all()
            )


def _delivery(
    key: str,
    user_id: str,
    channel_id: str,
    about: str,
    count: int,
    due: datetime,
    send_at: datetime,
) -> dict[str, Any]:
    return {
        "id": new_id(), "key": key, "user_id": user_id, "channel_id": channel_id, "about": about,
        "count": count, "due_at": due, "send_at": send_at, "status": "pending", "attempts": 0,
    }  # fmt: skip


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _channel_out(row: Channel) -> ChannelOut:
    return ChannelOut(id=row.id, kind=row.kind, target=row.target, tested_at=row.tested_at)


def _reminder_out(row: Reminder) -> ReminderOut:
    return ReminderOut(
        id=row.id,
        about=row.about,
        habit_id=row.habit_id,
        schedule=_schedule(row).describe(),
        at=row.at_time,
        channel_ids=list(row.channel_ids),
        active=row.active,
        next_due_at=row.next_due_at,
    )
