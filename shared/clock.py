"""The one clock: "now" in UTC, Dutch wall-clock time, and a clock tests can set.

Times are stored in UTC and shown, and typed in, in Europe/Amsterdam. Code that
needs "now" takes a ``Clock`` (a web view asks its service context), so a test
can move past a deadline without waiting for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def utc_text(moment: datetime) -> str:
    """A moment as the APIs answer it: in UTC, written with ``Z`` (API Design Rules), whatever
    offset a caller sent it with or the database gave it back in."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def amsterdam(moment: datetime, pattern: str = "%d-%m-%Y %H:%M") -> str:
    return moment.astimezone(AMSTERDAM).strftime(pattern)


def amsterdam_today(clock: Clock = utcnow) -> date:
    """The calendar day in the Netherlands, which is not UTC's between 22:00 and midnight."""
    return clock().astimezone(AMSTERDAM).date()


class SetClock:
    """A clock that stands still where it is set, for tests and replays."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by
