"""Registration rules, free of Flask and SQL so they can be read and tested on their own."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.clock import AMSTERDAM

KINDS = ("gia", "raad_voor_raad")
ROLES = ("official", "council_member", "alderman", "other")
# Raad voor Raad meetings are for the council: its members and the aldermen.
RAAD_VOOR_RAAD_ROLES = frozenset({"council_member", "alderman"})


class Notice(StrEnum):
    """The mails registration queues; each names one registration."""

    RECEIVED = "registration_received"
    PROMOTED = "promoted"
    MEETING_CHANGED = "meeting_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    REMINDER = "reminder"


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
        return f"Registration closed at {deadline.isoformat()}."
    return None


def why_role_not_admitted(kind: str, role: str) -> str | None:
    if kind == "raad_voor_raad" and role not in RAAD_VOOR_RAAD_ROLES:
        return (
            "Raad voor Raad meetings are for council members and aldermen; "
            "officials and others are welcome at the regional GIA meetings."
        )
    return None


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
