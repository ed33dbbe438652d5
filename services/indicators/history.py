"""The figures' history: every move of a target-group figure, and the trend over the programme.

The moves are a log of what the live figures were (``FigureChange``): the feed's
entries and the dashboard's charts, left alone by a rebuild.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.indicators.figures import TARGET_GROUP, TOTAL, population
from services.indicators.models import FigureChange
from services.indicators.rules import INDICATORS
from shared.clock import AMSTERDAM
from shared.municipalities import Register

# The programme's first day: the letter to parliament of 7 June 2012.
PROGRAMME_START = date(2012, 6, 7)
# The targets are for 2012: once it is over the trend shows that year whole, and after it runs
# no further than the last move, so a page viewed years later still shows the programme.
TARGET_YEAR_END = date(2012, 12, 31)
# At most this many points after the first per line, so a page stays small however long the
# span: a point a day through the target year (207 days), whole weeks apart beyond that.
MOST_POINTS = 240
# Per indicator, (day, share of the target group at the end of that day) from the start.
Series = dict[str, list[tuple[date, float]]]
# (indicator, day, municipalities covered at the end of that day), in the order they moved.
Move = tuple[str, date, int]


def changes(session: Session, limit: int | None = None) -> list[FigureChange]:
    """The whole target group's figure moves, newest first (the feed's entries)."""
    query = (
        select(FigureChange)
        .where(FigureChange.region == "")
        .order_by(FigureChange.seq.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def trend_days(first_move: date | None, last_move: date | None, today: date) -> list[date]:
    """The days the trend has a point on: the start, then days a step apart back from the last.

    Counting back from the last day keeps its point the current figure; the step is a day, or
    as many whole weeks as keep the points within ``MOST_POINTS``.
    """
    first = min(PROGRAMME_START, first_move or PROGRAMME_START)
    last = max(first, min(today, max(TARGET_YEAR_END, last_move or first)))
    span = (last - first).days
    step = 1 if span <= MOST_POINTS else 7 * -(-span // (7 * MOST_POINTS))
    return [first, *(last - timedelta(days=back) for back in reversed(range(0, span, step)))]


def sampled(moves: Iterable[Move], denominator: int, days: list[date]) -> Series:
    """Per indicator the share at the end of each of ``days``: the last move on or before it."""
    latest: dict[str, dict[date, int]] = {}
    for indicator, day, covered in moves:
        latest.setdefault(indicator, {})[day] = covered
    return {
        indicator: _at_end_of(days, latest.get(indicator, {}), denominator)
        for indicator in INDICATORS
    }


def _at_end_of(
    days: list[date], covered: dict[date, int], denominator: int
) -> list[tuple[date, float]]:
    """The share on each day: what the last day with a move on or before it left (none: 0)."""
    moved = sorted(covered)
    points = []
    for day in days:
        before = bisect_right(moved, day)
        count = covered[moved[before - 1]] if before else 0
        points.append((day, count / denominator if denominator else 0.0))
    return points


def trend_series(session: Session, register: Register, today: date, region: str = "") -> Series:
    """Per indicator the target group's (or a region's) trend, on the same days for every
    region, so that the small multiples line up with the whole."""
    denominator = population(register)[(TARGET_GROUP, "region" if region else TOTAL, region)]
    first, last = session.execute(
        select(func.min(FigureChange.recorded_at), func.max(FigureChange.recorded_at))
    ).one()
    rows = session.execute(
        select(FigureChange.indicator, FigureChange.recorded_at, FigureChange.covered)
        .where(FigureChange.region == region)
        .order_by(FigureChange.seq)
    )
    return sampled(
        ((indicator, at.astimezone(AMSTERDAM).date(), covered) for indicator, at, covered in rows),
        denominator,
        trend_days(*(at and at.astimezone(AMSTERDAM).date() for at in (first, last)), today),
    )
