"""The history charts: one mark per day (its mean and range), both lines, how strong, the year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from steadymind.features.checkins.chart import Point, daily, line_chart, signed
from steadymind.features.checkins.year import months_back, year_in_pixels

DAY = date(2026, 1, 15)


def y_of(value: float) -> float:
    """Where the chart draws a value (its own scale)."""
    from steadymind.features.checkins.chart import _y

    return _y(value)


def at(day: int, hour: int, tz: str = "UTC") -> datetime:
    return datetime(2026, 1, day, hour, 0, tzinfo=UTC)


def point(day: int, hour: int, mood: int, energy: int = 0, intensity: int | None = None) -> Point:
    return Point(at(day, hour), "UTC", mood, energy, intensity)


def test_several_checkins_on_a_day_are_one_mean_with_its_range() -> None:
    days = daily([point(14, 8, -2, 1, 3), point(14, 13, 1, -3), point(14, 21, 4, 2, 7)])
    (day,) = days
    assert (day.date, day.count) == (date(2026, 1, 14), 3)
    assert (day.mood, day.mood_low, day.mood_high) == (1.0, -2, 4)
    assert (day.energy, day.energy_low, day.energy_high) == (0.0, -3, 2)
    assert day.intensity == 5.0


def test_a_checkin_counts_on_the_day_it_was_made_where_it_was_made() -> None:
    # 23:30 in Tokyo on the 14th is 14:30 UTC; 00:30 in New York on the 15th is 05:30 UTC.
    tokyo = Point(datetime(2026, 1, 14, 14, 30, tzinfo=UTC), "Asia/Tokyo", 2, 0, None)
    new_york = Point(datetime(2026, 1, 15, 5, 30, tzinfo=UTC), "America/New_York", -1, 0, None)
    assert [d.date for d in daily([tokyo, new_york])] == [date(2026, 1, 14), date(2026, 1, 15)]


def test_the_chart_draws_one_point_per_day_not_a_vertical_stroke() -> None:
    points = [point(13, 9, 0)] + [point(14, h, m) for h, m in [(8, -3), (12, 0), (20, 3)]]
    chart = line_chart(daily(points), DAY - timedelta(days=6), DAY)
    xs = [pair.split(",")[0] for pair in chart.mood_line.split()]
    assert len(xs) == len(set(xs)) == 2
    assert len(chart.mood_dots) == 2
    # The day with three check-ins has its range drawn from -3 to +3.
    (x, top, low) = chart.mood_ranges[0]
    assert str(x) == xs[1] and top < low
    assert chart.mood_band  # the band under the line


def test_energy_is_drawn_as_a_line_of_its_own() -> None:
    chart = line_chart(daily([point(13, 9, 2, -4), point(14, 9, 2, 4)]), DAY - timedelta(6), DAY)
    mood_ys = {pair.split(",")[1] for pair in chart.mood_line.split()}
    energy_ys = [pair.split(",")[1] for pair in chart.energy_line.split()]
    assert len(energy_ys) == 2 and energy_ys[0] != energy_ys[1]
    assert len(mood_ys) == 1
    assert len(chart.energy_dots) == 2


def test_a_days_energy_range_is_drawn_beside_its_mood_range() -> None:
    points = [point(13, 9, 1, 2), point(14, 8, 0, -4), point(14, 20, 0, 2)]
    chart = line_chart(daily(points), DAY - timedelta(6), DAY)
    (x, top, low) = chart.energy_ranges[0]  # only the 14th had more than one energy
    day_x = float(chart.energy_line.split()[1].split(",")[0])
    assert x == pytest.approx(day_x + 3) and top < low
    assert (top, low) == (y_of(2), y_of(-4))
    assert chart.mood_ranges == []  # the mood did not vary that day


def test_how_strong_has_a_row_of_its_own_only_when_recorded() -> None:
    plain = line_chart(daily([point(14, 9, 1)]), DAY - timedelta(6), DAY)
    assert plain.row_top is None and plain.bars == []
    strong = line_chart(
        daily([point(13, 9, 1, intensity=2), point(14, 9, 1, intensity=8)]), DAY - timedelta(6), DAY
    )
    assert strong.row_top is not None and strong.row_top > max(d.y for d in strong.mood_dots)
    low, high = strong.bars
    assert high.height == 4 * low.height
    assert "how strong 8" in high.title
    assert strong.height > plain.height


def test_every_mark_says_what_it_shows() -> None:
    chart = line_chart(
        daily([point(14, 8, -2, 1, 3), point(14, 20, 4, 2)]), DAY - timedelta(6), DAY
    )
    (dot,) = chart.mood_dots
    assert dot.title == (
        "Wed 14 Jan: mood +1 (from -2 to +4), energy +1.5 (from +1 to +2); "
        "how strong 3 of 10; 2 check-ins"
    )
    assert "1 of the last 7 days" in chart.summary


def test_an_empty_period_says_so() -> None:
    chart = line_chart([], DAY - timedelta(days=29), DAY)
    assert chart.empty and chart.mood_line == ""
    assert chart.summary == "No check-ins in the last 30 days."


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (-0.04, "0"), (3, "+3"), (-2, "-2"), (1.5, "+1.5"), (10, "+10")]
)
def test_values_read_as_people_write_them(value: float, text: str) -> None:
    assert signed(value) == text


def test_the_year_is_twelve_months_ending_with_this_one() -> None:
    assert months_back(date(2026, 1, 15))[0] == (2025, 1)  # February 2025 (months from 0)
    year = year_in_pixels([], date(2026, 1, 15))
    assert year.months[0].label == "Feb"
    assert year.months[-1].name == "January 2026"
    assert year.empty
    # Every day from 1 February 2025 to today, and none after today.
    assert len(year.cells) == (date(2026, 1, 15) - date(2025, 2, 1)).days + 1


def test_the_year_colours_each_day_by_its_mean_mood() -> None:
    points = [point(3, 9, -5), point(4, 9, -1), point(4, 20, -2), point(5, 9, 0), point(6, 9, 5)]
    year = year_in_pixels(daily(points), DAY)
    by_title = {c.title.split(":")[0]: c for c in year.cells}
    assert by_title["Sat 03 Jan 2026"].level == 0
    assert by_title["Sun 04 Jan 2026"].level == 1  # mean -1.5
    assert by_title["Mon 05 Jan 2026"].level == 2
    assert by_title["Tue 06 Jan 2026"].level == 4
    assert by_title["Wed 07 Jan 2026"].level is None
    assert "mood -1.5, low" in by_title["Sun 04 Jan 2026"].title
    january = year.months[-1]
    assert (january.checked_in, january.days) == (4, 15)
    assert "4 days" in year.summary


def test_the_year_fits_a_phone() -> None:
    year = year_in_pixels([], date(2026, 12, 31))
    assert max(c.x for c in year.cells) + year.size <= year.width
    assert year.width <= 340  # the width of a card on a 390 px phone
