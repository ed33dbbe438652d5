"""Dates along a chart's time axis, so a chart (on screen or printed) says when without its
table: one rule for every service's charts."""

from __future__ import annotations

from datetime import date, timedelta

from shared.web.formats import short_month

# A date's label needs about this many SVG units along the axis to stay clear of the next.
LABEL_WIDTH = 80
# Months between two dates on the axis, from which the first that fits is taken.
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)


def date_axis(first: date, last: date, width: float, per_day: float) -> list[tuple[float, str]]:
    """(x, label) of the dates to mark on an axis ``width`` units long, a day ``per_day`` units
    on from ``first``: as many as fit."""
    return [
        (round((day - first).days * per_day, 1), label)
        for day, label in time_ticks(first, last, int(width // LABEL_WIDTH))
    ]


def time_ticks(first: date, last: date, most: int) -> list[tuple[date, str]]:
    """The dates to mark: every week over two months or less ("7 jun"), otherwise the first of
    every month, or of every few months so that at most ``most`` are marked ("jul 2012", the
    year written on the first and in January)."""
    if (last - first).days <= 62:
        weeks = (first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1))
        return [(day, f"{day.day} {short_month(day)}") for day in weeks]
    months = [
        date(year, month, 1)
        for year in range(first.year, last.year + 1)
        for month in range(1, 13)
        if first <= date(year, month, 1) <= last
    ]
    every = next((n for n in MONTH_STEPS if len(months) / n <= most), MONTH_STEPS[-1])
    chosen = [day for day in months if (day.year * 12 + day.month - 1) % every == 0]
    return [
        (day, short_month(day) + (f" {day.year}" if index == 0 or day.month == 1 else ""))
        for index, day in enumerate(chosen)
    ]
