"""When reminders fall: the person's clock across daylight-saving changes and travel, quiet
hours, and progress that counts days done rather than streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from steadymind.features.coach.schedule import (
    Schedule,
    in_quiet_hours,
    next_time,
    parse_days,
    progress,
)


def test_a_daily_time_stays_on_the_clock_across_the_spring_change() -> None:
    # London moves from GMT to BST on 2026-03-29: 08:00 is 08:00 UTC before, 07:00 UTC after.
    before = next_time(
        Schedule(), "08:00", "Europe/London", datetime(2026, 3, 28, 0, 0, tzinfo=UTC)
    )
    after = next_time(Schedule(), "08:00", "Europe/London", datetime(2026, 3, 29, 0, 0, tzinfo=UTC))
    assert before == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert after == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_a_skipped_time_arrives_once_after_the_change_and_a_doubled_one_once() -> None:
    # 01:30 does not exist in London on 2026-03-29 (01:00 -> 02:00): it arrives at 02:30 BST.
    skipped = next_time(
        Schedule(), "01:30", "Europe/London", datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    )
    assert skipped == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 01:30 happens twice on 2026-10-25: the first one, then the next day's.
    first = next_time(
        Schedule(), "01:30", "Europe/London", datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
    )
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    then = next_time(Schedule(), "01:30", "Europe/London", first)  # type: ignore[arg-type]
    assert then == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_travel_moves_the_instant_not_the_clock_time() -> None:
    after = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    london = next_time(Schedule(), "20:00", "Europe/London", after)
    tokyo = next_time(Schedule(), "20:00", "Asia/Tokyo", after)
    assert london == datetime(2026, 6, 1, 19, 0, tzinfo=UTC)
    assert tokyo == datetime(2026, 6, 1, 11, 0, tzinfo=UTC)


def test_weekdays_and_every_n_days() -> None:
    weekdays = Schedule("weekdays", parse_days("mon,wed"))
    saturday = datetime(2026, 1, 17, 12, 0, tzinfo=UTC)
    assert next_time(weekdays, "09:00", "UTC", saturday) == datetime(2026, 1, 19, 9, 0, tzinfo=UTC)
    every3 = Schedule("every", every_n=3, start=date(2026, 1, 1))
    assert [d.day for d in (date(2026, 1, n) for n in range(1, 11)) if every3.falls_on(d)] == [
        1,
        4,
        7,
        10,
    ]
    with pytest.raises(ValueError, match="not a day"):
        parse_days("mon,funday")


def test_quiet_hours_across_midnight_hold_a_reminder_until_they_end() -> None:
    late = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    assert in_quiet_hours(late, "UTC", "22:00", "07:00") == datetime(2026, 1, 16, 7, 0, tzinfo=UTC)
    early = datetime(2026, 1, 16, 6, 0, tzinfo=UTC)
    assert in_quiet_hours(early, "UTC", "22:00", "07:00") == datetime(2026, 1, 16, 7, 0, tzinfo=UTC)
    assert in_quiet_hours(datetime(2026, 1, 16, 12, 0, tzinfo=UTC), "UTC", "22:00", "07:00") is None
    assert in_quiet_hours(late, "UTC", None, None) is None


def test_progress_counts_days_done_and_a_missed_day_takes_nothing_away() -> None:
    today = date(2026, 1, 15)
    done = {date(2026, 1, 15), date(2026, 1, 13), date(2026, 1, 12), date(2026, 1, 9)}
    seen = progress(Schedule(start=date(2026, 1, 1)), done, today)
    assert seen.words() == "4 of the last 7 days"
    fewer = progress(
        Schedule("weekdays", parse_days("mon,wed,fri"), start=date(2026, 1, 1)), done, today
    )
    assert fewer.words() == "4 of 4 planned days in the last 7"
    assert "streak" not in seen.words()
