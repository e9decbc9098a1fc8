"""When a habit or a reminder falls: on which of the person's days, at which of their clock times.

Times are wall-clock times in the person's own zone, so a 08:00 reminder stays at 08:00 across a
daylight-saving change and when they travel (the zone is theirs at the time it is computed). A
time the clock skips (02:30 on the night clocks go forward) arrives when the clock reaches it,
an hour later; a time the clock passes twice (the night they go back) arrives once, the first
time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["daily", "weekdays", "every"]
KINDS: tuple[Kind, ...] = ("daily", "weekdays", "every")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = 0b1111111
WORK_DAYS = 0b0011111
# How far ahead a next time is looked for (an every-N schedule of at most this many days).
HORIZON_DAYS = 400


@dataclass(frozen=True)
class Schedule:
    kind: Kind = "daily"
    weekdays: int = ALL_DAYS  # bit 0 = Monday
    every_n: int = 1
    start: date = date(2000, 1, 1)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown schedule {self.kind!r}")
        if self.kind == "weekdays" and not 0 < self.weekdays <= ALL_DAYS:
            raise ValueError("choose at least one day of the week")
        if self.kind == "every" and not 1 <= self.every_n <= 365:
            raise ValueError("every N days takes N from 1 to 365")

    def falls_on(self, day: date) -> bool:
        if day < self.start:
            return False
        if self.kind == "weekdays":
            return bool(self.weekdays >> day.weekday() & 1)
        if self.kind == "every":
            return (day - self.start).days % self.every_n == 0
        return True

    def describe(self) -> str:
        if self.kind == "every":
            return "every day" if self.every_n == 1 else f"every {self.every_n} days"
        if self.kind == "weekdays":
            if self.weekdays == ALL_DAYS:
                return "every day"
            if self.weekdays == WORK_DAYS:
                return "Monday to Friday"
            return ", ".join(n.title() for i, n in enumerate(DAY_NAMES) if self.weekdays >> i & 1)
        return "every day"


def parse_days(text: str) -> int:
    """'mon,wed,fri' (or 'weekdays', 'weekend') as a bit set, Monday first."""
    words = {"weekdays": WORK_DAYS, "weekend": 0b1100000, "all": ALL_DAYS}
    mask = 0
    for raw in text.split(","):
        word = raw.strip().lower()
        if not word:
            continue
        word = word if word in words else word[:3]
        if word in words:
            mask |= words[word]
        elif word in DAY_NAMES:
            mask |= 1 << DAY_NAMES.index(word)
        else:
            raise ValueError(f"{word!r} is not a day (mon, tue, ... sun)")
    if not mask:
        raise ValueError("choose at least one day of the week")
    return mask


def parse_time(text: str) -> str:
    """'7:05' or '07:05' as 'HH:MM'."""
    try:
        parsed = datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day (HH:MM)") from None
    return parsed.strftime("%H:%M")


def wall_clock(day: date, at: str, zone: ZoneInfo) -> datetime:
    """The instant (UTC) when the person's clock shows ``at`` on ``day``. A skipped time is read
    with the offset before the change (so it lands after it); a doubled one, the first time."""
    local = datetime.combine(day, time.fromisoformat(at), tzinfo=zone).replace(fold=0)
    return local.astimezone(UTC)


def next_time(schedule: Schedule, at: str, tz: str, after: datetime) -> datetime | None:
    """The first instant strictly after ``after`` when the schedule falls at ``at`` (the person's
    clock in ``tz``), or None when there is none within the horizon."""
    zone = ZoneInfo(tz)
    day = after.astimezone(zone).date() - timedelta(days=1)
    for _ in range(HORIZON_DAYS):
        if schedule.falls_on(day):
            when = wall_clock(day, at, zone)
            if when > after:
                return when
        day += timedelta(days=1)
    return None


def in_quiet_hours(when: datetime, tz: str, start: str | None, end: str | None) -> datetime | None:
    """When quiet hours (the person's clock, possibly across midnight) hold ``when``: the instant
    they end; else None."""
    if not start or not end or start == end:
        return None
    zone = ZoneInfo(tz)
    local = when.astimezone(zone)
    now = local.strftime("%H:%M")
    across_midnight = start > end
    inside = (now >= start or now < end) if across_midnight else start <= now < end
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if across_midnight and now >= start else local.date()
    return wall_clock(end_day, end, zone)


def recent_days(today: date, n: int) -> list[date]:
    return [today - timedelta(days=i) for i in range(n - 1, -1, -1)]


@dataclass(frozen=True)
class Progress:
    """Gentle progress: the days done among the planned days of a recent window. No streak: a
    missed day takes nothing away from the days done."""

    done: int
    planned: int
    window: int

    def words(self) -> str:
        if self.planned == 0:
            return f"Nothing planned in the last {self.window} days."
        if self.planned == self.window:
            return f"{self.done} of the last {self.window} days"
        return f"{self.done} of {self.planned} planned days in the last {self.window}"


def progress(schedule: Schedule, done_days: set[date], today: date, window: int = 7) -> Progress:
    days = recent_days(today, window)
    planned = [d for d in days if schedule.falls_on(d)]
    # A day done that was not planned counts too: doing more is never a mistake.
    done = [d for d in days if d in done_days]
    return Progress(done=len(done), planned=max(len(planned), len(done)), window=window)
