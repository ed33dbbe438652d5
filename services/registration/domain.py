"""Registration rules, free of Flask and SQL so they can be read and tested on their own."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from shared.clock import AMSTERDAM, utc_text

KINDS = ("gia", "raad_voor_raad")
ROLES = ("official", "council_member", "alderman", "other")


class Notice(StrEnum):
    """The mails registration queues; each names one registration."""

    RECEIVED = "registration_received"
    PROMOTED = "promoted"
    MEETING_CHANGED = "meeting_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    REMINDER = "reminder"
    CANCELLED = "registration_cancelled"
    LINK_AGAIN = "link_again"


class Status(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


def status_for_new_registration(confirmed: int, capacity: int) -> Status:
    """Seats go in order of arrival; whoever comes after the last seat waits."""
    return Status.CONFIRMED if confirmed < capacity else Status.WAITLISTED


def why_registration_closed(*, cancelled: bool, deadline: datetime, now: datetime) -> str | None:
    """The reason people cannot register (any more), or None while they can."""
    if cancelled:
        return "This meeting has been cancelled."
    if now >= deadline:
        return f"Registration closed at {utc_text(deadline)}."
    return None


def why_role_not_admitted(kind: str, role: str, *, admits_aldermen: bool = False) -> str | None:
    """Raad voor Raad meetings are for council members; aldermen only where staff let them in
    (a setting of the meeting). GIA meetings admit every role."""
    if kind != "raad_voor_raad" or role == "council_member":
        return None
    if admits_aldermen:
        if role == "alderman":
            return None
        return (
            "Raad voor Raad meetings are for council members and aldermen; "
            "officials and others are welcome at the regional GIA meetings."
        )
    if role == "alderman":
        return "This Raad voor Raad meeting is for council members only, not for aldermen."
    return (
        "This Raad voor Raad meeting is for council members only; "
        "officials and others are welcome at the regional GIA meetings."
    )


def why_capacity_refused(capacity: int | None, confirmed: int) -> str | None:
    """Seats already given stay given: capacity cannot drop below them."""
    if capacity is not None and capacity < confirmed:
        return (
            f"{confirmed} people already have a confirmed seat; "
            f"the capacity cannot be lower than that."
        )
    return None


def programme_year_over(starts_at: datetime, now: datetime) -> bool:
    """Personal data is kept for the programme year of the meeting (Amsterdam calendar)."""
    return now.astimezone(AMSTERDAM).year > starts_at.astimezone(AMSTERDAM).year


def why_times_wrong(
    starts_at: datetime, ends_at: datetime, deadline: datetime
) -> tuple[str, str] | None:
    """(field, reason) when a meeting's times are out of order."""
    if ends_at <= starts_at:
        return "ends_at", "The meeting must end after it starts."
    if deadline > starts_at:
        return "registration_deadline", "Registration must close before the meeting starts."
    return None


def waitlist_positions(in_arrival_order: list[Any]) -> dict[str, int]:
    """Registration id -> place on the waiting list (1 = next), for everyone waiting."""
    waiting = [r.id for r in in_arrival_order if r.status == Status.WAITLISTED]
    return {registration_id: place for place, registration_id in enumerate(waiting, start=1)}


# -- the programme against the plan ------------------------------------------------------------

# The programme years the plan can be set for (as far as Moment accepts dates).
PROGRAMME_YEARS = range(2000, 2100)


class MeetingState(StrEnum):
    """Where a meeting stands against the plan."""

    SCHEDULED = "scheduled"  # not yet over (it may be going on now)
    HELD = "held"  # over, with an attendance list: at least one person checked in
    UNRECORDED = "ended_without_attendance"  # over, but nobody was checked in
    CANCELLED = "cancelled"


def meeting_state(
    *, cancelled: bool, ends_at: datetime, now: datetime, present: int
) -> MeetingState:
    """A meeting counts as held only with its attendance list, as the evaluation counted them;
    one that ended without a single check-in is told apart, so staff can add the list."""
    if cancelled:
        return MeetingState.CANCELLED
    if now < ends_at:
        return MeetingState.SCHEDULED
    return MeetingState.HELD if present else MeetingState.UNRECORDED


def programme_year_of(moment: datetime) -> int:
    """A meeting belongs to the programme year of the Dutch calendar day it starts on."""
    return moment.astimezone(AMSTERDAM).year


def reached(registrations: Iterable[Any]) -> set[str]:
    """The municipalities a meeting reached: someone from it was checked in.

    Registering is not enough (people register and stay away), hosting a meeting is not
    either, and someone who came for an organisation without a municipality reaches none.
    The same rule as the evaluation's attendance lists and the participation indicator.
    """
    return {
        r.municipality_code
        for r in registrations
        if r.checked_in_at is not None and r.municipality_code
    }


def unreached(target_group: Iterable[str], registrations: Iterable[Any]) -> list[str]:
    """The target-group municipality codes, in their order, that no meeting has reached."""
    came = reached(registrations)
    return [code for code in target_group if code not in came]


# -- registrations over time --------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    """One Dutch calendar day on which people registered or cancelled, with the running totals."""

    day: date
    registered: int
    cancelled: int
    registered_total: int
    cancelled_total: int

    @property
    def active(self) -> int:
        """Registered and not cancelled by the end of the day: who still means to come."""
        return self.registered_total - self.cancelled_total


def per_day(moments: Iterable[tuple[datetime, datetime | None]]) -> list[Day]:
    """(registered at, cancelled at) per registration, counted per day in Amsterdam, where
    the day a person sees on the calendar starts: 23:30 UTC on 1 June is 2 June. Only days
    on which something happened are listed; the totals run on over the days between."""
    registered: Counter[date] = Counter()
    cancelled: Counter[date] = Counter()
    for registered_at, cancelled_at in moments:
        registered[registered_at.astimezone(AMSTERDAM).date()] += 1
        if cancelled_at is not None:
            cancelled[cancelled_at.astimezone(AMSTERDAM).date()] += 1
    days: list[Day] = []
    registered_total = cancelled_total = 0
    for day in sorted(registered.keys() | cancelled.keys()):
        registered_total += registered[day]
        cancelled_total += cancelled[day]
        days.append(Day(day, registered[day], cancelled[day], registered_total, cancelled_total))
    return days
