"""Dutch wall-clock time: times are stored in UTC and shown, and typed in, in Europe/Amsterdam."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def amsterdam(moment: datetime, pattern: str = "%d-%m-%Y %H:%M") -> str:
    return moment.astimezone(AMSTERDAM).strftime(pattern)
