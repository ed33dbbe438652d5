"""The figures' history: every move of a target-group figure, and the trend day by day.

The moves are a log of what the live figures were (``FigureChange``): the feed's
entries and the dashboard's charts, left alone by a rebuild.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.figures import TARGET_GROUP, TOTAL, population
from services.indicators.models import FigureChange
from services.indicators.rules import INDICATORS
from shared.clock import AMSTERDAM
from shared.municipalities import Register

# The programme's first day: the letter to parliament of 7 June 2012.
PROGRAMME_START = date(2012, 6, 7)
# Per indicator, (day, share of the target group) from the programme's start.
Series = dict[str, list[tuple[date, float]]]


def changes(session: Session, limit: int | None = None) -> list[FigureChange]:
    """The whole target group's figure moves, newest first (the feed's entries)."""
    query = (
        select(FigureChange)
        .where(FigureChange.region == "")
        .order_by(FigureChange.seq.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def daily_series(session: Session, register: Register, today: date, region: str = "") -> Series:
    """Per indicator, the figure at the end of each day since the programme started.

    Days without a change carry the last figure forward.
    """
    sizes = population(register)
    dimension = "region" if region else TOTAL
    denominator = sizes[(TARGET_GROUP, dimension, region)]
    last: dict[tuple[str, date], int] = {}
    rows = session.execute(
        select(FigureChange.indicator, FigureChange.recorded_at, FigureChange.covered)
        .where(FigureChange.region == region)
        .order_by(FigureChange.seq)
    )
    for indicator, at, count in rows:
        last[(indicator, at.astimezone(AMSTERDAM).date())] = count
    start = min([PROGRAMME_START, *(day for _, day in last)])
    series: Series = {}
    for indicator in INDICATORS:
        value, points = 0, []
        day = start
        while day <= today:
            value = last.get((indicator, day), value)
            points.append((day, value / denominator if denominator else 0.0))
            day += timedelta(days=1)
        series[indicator] = points
    return series
