"""Registration rules, free of Flask and SQL so they can be read and tested on their own."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

KINDS = ("gia", "raad_voor_raad")
ROLES = ("official", "council_member", "alderman", "other")
# Raad voor Raad meetings are for the council: its members and the aldermen.
RAAD_VOOR_RAAD_ROLES = frozenset({"council_member", "alderman"})


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
