"""Pure unit tests: which municipalities a meeting reached, where a meeting stands against the
plan, and registrations per Dutch calendar day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from services.registration.domain import (
    Day,
    MeetingState,
    meeting_state,
    per_day,
    programme_year_of,
    reached,
    unreached,
)
from services.registration.pages_staff_plan import chart
from services.registration.timeline import Timeline

NOON = datetime(2012, 10, 10, 12, tzinfo=UTC)


def person(code: str | None, checked_in: bool) -> SimpleNamespace:
    return SimpleNamespace(municipality_code=code, checked_in_at=NOON if checked_in else None)


def test_a_municipality_is_reached_only_by_someone_checked_in_from_it() -> None:
    people = [
        person("GM0599", checked_in=True),
        person("GM0518", checked_in=False),  # registered, stayed away
        person(None, checked_in=True),  # came for an organisation
        person("GM0599", checked_in=True),
    ]
    assert reached(people) == {"GM0599"}
    assert unreached(["GM0363", "GM0518", "GM0599"], people) == ["GM0363", "GM0518"]
    assert unreached(["GM0363"], []) == ["GM0363"]


def test_a_meeting_is_held_once_over_with_an_attendance_list() -> None:
    ends = NOON
    before, after = ends - timedelta(minutes=1), ends + timedelta(minutes=1)
    assert meeting_state(cancelled=False, ends_at=ends, now=before, present=3) == (
        MeetingState.SCHEDULED  # going on: not held until it is over
    )
    assert meeting_state(cancelled=False, ends_at=ends, now=after, present=3) == MeetingState.HELD
    assert meeting_state(cancelled=False, ends_at=ends, now=ends, present=0) == (
        MeetingState.UNRECORDED
    )
    assert meeting_state(cancelled=True, ends_at=ends, now=after, present=3) == (
        MeetingState.CANCELLED
    )


def test_the_programme_year_is_the_dutch_calendar_year() -> None:
    assert programme_year_of(datetime(2012, 12, 31, 23, 30, tzinfo=UTC)) == 2013
    assert programme_year_of(datetime(2012, 12, 31, 22, 59, tzinfo=UTC)) == 2012


def test_registrations_are_counted_per_amsterdam_day_with_running_totals() -> None:
    summer_late = datetime(2012, 6, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 June in Amsterdam
    summer_evening = datetime(2012, 6, 1, 21, 59, tzinfo=UTC)  # 23:59 on 1 June
    winter_late = datetime(2012, 1, 1, 23, 0, tzinfo=UTC)  # 00:00 on 2 January
    days = per_day(
        [
            (winter_late, None),
            (summer_evening, summer_late),  # cancelled a minute after midnight, Dutch time
            (summer_late, None),
            (summer_late, datetime(2012, 6, 2, 8, tzinfo=UTC)),
        ]
    )
    assert days == [
        Day(date(2012, 1, 2), 1, 0, 1, 0),
        Day(date(2012, 6, 1), 1, 0, 2, 0),
        Day(date(2012, 6, 2), 2, 2, 4, 2),
    ]
    assert [day.active for day in days] == [1, 2, 2]
    assert per_day([]) == []


def test_the_chart_steps_over_quiet_days_and_marks_the_seats() -> None:
    days = per_day(
        [
            (datetime(2012, 6, 1, 10, tzinfo=UTC), None),
            (datetime(2012, 6, 1, 11, tzinfo=UTC), datetime(2012, 6, 4, 10, tzinfo=UTC)),
        ]
    )
    drawn = chart(Timeline(meetings=1, capacity=4, days=days), size=(400, 100))
    assert drawn is not None and (drawn.first, drawn.last, drawn.top) == (
        date(2012, 6, 1),
        date(2012, 6, 4),
        4,
    )
    # Four days of 100 units each: two registered on the first, one cancelled on the last.
    assert drawn.registered_bars == [(10.0, 50.0, 40.0, 50.0)]
    assert drawn.cancelled_bars == [(350.0, 75.0, 40.0, 25.0)]
    assert drawn.active_line == "0.0,100.0 0.0,50.0 300.0,50.0 300.0,75.0 400,75.0"
    assert drawn.capacity_y == 0.0
    assert chart(Timeline(meetings=0, capacity=0, days=[])) is None
