"""The trend of the figures as pure functions: which days it has a point on, and the share at
the end of each, however long after 2012 it is drawn."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from services.indicators.history import (
    MOST_POINTS,
    PROGRAMME_START,
    TARGET_YEAR_END,
    Move,
    sampled,
    trend_days,
)

VIEWED = date(2026, 12, 15)


def at_end_of(moves: list[Move], indicator: str, day: date) -> int:
    """What the figure was at the end of a day: the last of its moves up to then, or none."""
    return next(
        (covered for name, moved, covered in reversed(moves) if name == indicator and moved <= day),
        0,
    )


def test_fourteen_years_are_drawn_in_whole_weeks_ending_on_the_current_figure() -> None:
    moves: list[Move] = [
        (indicator, PROGRAMME_START + timedelta(days=n), n // 9 + offset)
        for n in range(0, (VIEWED - PROGRAMME_START).days - 10, 9)
        for offset, indicator in enumerate(("awareness", "use", "participation"))
    ]
    days = trend_days(moves[0][1], moves[-1][1], VIEWED)
    series = sampled(moves, 1000, days)

    assert days[0] == PROGRAMME_START and days[-1] == moves[-1][1] < VIEWED
    steps = {(later - earlier).days for earlier, later in pairwise(days[1:])}
    assert len(steps) == 1 and steps.pop() % 7 == 0 and (days[1] - days[0]).days > 0
    for indicator, points in series.items():
        assert len(points) <= MOST_POINTS + 1
        assert [day for day, _ in points] == days
        assert points[-1][1] == at_end_of(moves, indicator, VIEWED) / 1000
        assert all(value == at_end_of(moves, indicator, day) / 1000 for day, value in points)


def test_the_target_year_is_drawn_day_by_day_and_later_ends_at_the_last_move() -> None:
    september, march = date(2012, 9, 1), date(2013, 3, 1)
    during = trend_days(september, september, date(2012, 10, 15))
    assert during == [PROGRAMME_START + timedelta(days=n) for n in range(131)]
    # Years later: the whole target year, or up to the last move after it.
    assert trend_days(september, september, VIEWED)[-1] == TARGET_YEAR_END
    assert len(trend_days(september, september, VIEWED)) == 208
    after = trend_days(september, march, VIEWED)
    assert after[-1] == march and len(after) <= MOST_POINTS + 1
    assert trend_days(september, VIEWED, VIEWED)[-1] == VIEWED
    # Nothing moved yet: from the start to today; a move before the start starts earlier.
    assert trend_days(None, None, date(2012, 6, 10))[-1] == date(2012, 6, 10)
    assert trend_days(date(2012, 6, 1), september, date(2012, 6, 10))[0] == date(2012, 6, 1)


def test_the_last_move_of_a_day_counts_and_an_empty_group_is_nought() -> None:
    first, second = date(2012, 9, 1), date(2012, 9, 2)
    moves: list[Move] = [("use", first, 1), ("use", first, 3), ("use", first, 2)]
    series = sampled(moves, 4, [first - timedelta(days=1), first, second])
    assert series["use"] == [(date(2012, 8, 31), 0.0), (first, 0.5), (second, 0.5)]
    assert series["awareness"] == [(date(2012, 8, 31), 0.0), (first, 0.0), (second, 0.0)]
    assert sampled(moves, 0, [first])["use"] == [(first, 0.0)]
