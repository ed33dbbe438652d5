"""Progress against the targets: what the staff dashboard and the report show, each read in
one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from services.indicators.comparison import Comparison, comparison
from services.indicators.explanations import recent_events
from services.indicators.feed_tokens import feed_tokens
from services.indicators.figures import ALL, DIMENSIONS, TARGET_GROUP
from services.indicators.history import Series, trend_series
from services.indicators.models import FeedToken, ReceivedEvent
from services.indicators.overviews import Missing, Overview, missing, overview
from shared.municipalities import Register


@dataclass(frozen=True)
class Dashboard:
    """The target group's figures per region with their trends, 2008-2011 beside them, whom
    to approach, the latest events, and the staff member's own feed tokens."""

    overview: Overview
    series: Series
    regional: dict[str, Series]
    comparison: Comparison
    missing: list[Missing]
    recent: list[ReceivedEvent]
    tokens: list[FeedToken]


def dashboard(session: Session, register: Register, subject: str, today: date) -> Dashboard:
    found = overview(session, register, TARGET_GROUP, "region")
    return Dashboard(
        overview=found,
        series=trend_series(session, register, today),
        regional={
            name: trend_series(session, register, today, region=name) for name, _ in found.groups
        },
        comparison=comparison(session, register),
        missing=missing(session, register),
        recent=recent_events(session),
        tokens=feed_tokens(session, subject),
    )


@dataclass(frozen=True)
class Report:
    """The progress report: the target group by every dimension, every municipality for
    comparison with 2008-2011, the evaluation's figures beside them, and the trend."""

    overviews: dict[str, Overview]
    everyone: Overview
    comparison: Comparison
    series: Series


def report(session: Session, register: Register, today: date) -> Report:
    return Report(
        overviews={
            dimension: overview(session, register, TARGET_GROUP, dimension)
            for dimension in DIMENSIONS
        },
        everyone=overview(session, register, ALL, None),
        comparison=comparison(session, register),
        series=trend_series(session, register, today),
    )
