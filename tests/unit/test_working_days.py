"""Praktijkteam deadlines count working days: weekdays that are no Dutch public holiday."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.practiceteam.domain import (
    INTAKE_WORKING_DAYS,
    Status,
    add_working_days,
    days_off,
    intake_overdue,
    is_working_day,
    next_step,
    overdue_before,
)
from shared.clock import AMSTERDAM


def test_an_intake_due_over_christmas_skips_the_holidays_to_5_january() -> None:
    """Friday 18 December 2026: ten working days are 21-24 and 28-31 December and 4 and
    5 January, not Christmas (Friday 25th) nor New Year's Day (Friday 1st)."""
    submitted = datetime(2026, 12, 18, 15, 30, tzinfo=AMSTERDAM)
    step = next_step(Status.SUBMITTED, submitted, [])
    assert step is not None and step.step == "intake"
    assert step.expected_on == date(2027, 1, 5)
    assert add_working_days(date(2026, 12, 18), INTAKE_WORKING_DAYS) != date(2027, 1, 1)


def test_the_intake_is_overdue_only_after_the_holidays_are_counted_out() -> None:
    submitted = datetime(2026, 12, 18, 15, 30, tzinfo=AMSTERDAM)
    on_the_due_day = datetime(2027, 1, 5, 23, 0, tzinfo=AMSTERDAM)
    the_day_after = datetime(2027, 1, 6, 8, 0, tzinfo=AMSTERDAM)
    assert not intake_overdue(Status.SUBMITTED, submitted, on_the_due_day)
    assert intake_overdue(Status.SUBMITTED, submitted, the_day_after)
    assert overdue_before(the_day_after) == datetime(2026, 12, 21, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        # Easter 2027: Goede Vrijdag 26 March and Tweede Paasdag 29 March are days off.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # Easter 2012: Goede Vrijdag 6 April, Tweede Paasdag 9 April.
        (date(2012, 4, 5), 1, date(2012, 4, 10)),
        # Koningsdag 2026 is Monday 27 April.
        (date(2026, 4, 24), 1, date(2026, 4, 28)),
        # Koninginnedag 2012 was Monday 30 April; Bevrijdingsdag (Saturday 5 May) changes
        # nothing that year, Hemelvaartsdag (Thursday 17 May) does.
        (date(2012, 4, 27), 1, date(2012, 5, 1)),
        (date(2012, 5, 16), 1, date(2012, 5, 18)),
        # Bevrijdingsdag counts every year, not only in lustrum years: Tuesday 5 May 2026.
        (date(2026, 5, 4), 1, date(2026, 5, 6)),
    ],
)
def test_public_holidays_are_no_working_days(day: date, count: int, expected: date) -> None:
    assert add_working_days(day, count) == expected


def test_which_days_count() -> None:
    assert not is_working_day(date(2027, 4, 27))  # Koningsdag, a Tuesday
    assert is_working_day(date(2027, 4, 26))
    # Koningsdag on a Sunday moves to the Saturday before: Monday 28 April 2025 is a
    # working day.
    assert date(2025, 4, 26) in days_off(2025) and is_working_day(date(2025, 4, 28))
    assert {date(2026, 5, 5), date(2026, 4, 3)} <= days_off(2026)  # 5 May, Good Friday
    assert is_working_day(date(2026, 2, 16))  # carnival is regional, not a public holiday
