"""2008-2011 beside 2012: the evaluation's figures next to the live ones, each with its source.

The evaluation counted all 418 municipalities of its time, not a target group,
so every 2012 figure is given twice: of every municipality of the register (the
comparable one) and of the target group (the one the 2012 targets are set on).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.indicators.evaluation import TOTAL as IN_ALL
from services.indicators.evaluation import Count, Evaluation, evaluation
from services.indicators.figures import (
    ALL,
    DIMENSIONS,
    TARGET_GROUP,
    TOTAL,
    Figure,
    figure,
    population,
)
from services.indicators.labels import COMPARED_NOTE, PROGRAMME_2012
from services.indicators.overviews import counts
from shared.municipalities import Register


@dataclass(frozen=True)
class Earlier:
    """A 2008-2011 figure: its share, as printed in whole percents, and of what; ``numerator``
    and ``denominator`` where the evaluation counted municipalities (the attendance lists)."""

    value: float
    percentage: int
    basis: str
    source: str
    numerator: int | None = None
    denominator: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Compared:
    """One indicator of one group (a region, a band; ``""`` for all) in 2008-2011 and 2012."""

    indicator: str
    group: str
    earlier: Earlier | None
    everyone: Figure
    target_group: Figure


@dataclass(frozen=True)
class Comparison:
    title: str
    version: str
    date: str
    source: str
    note: str
    programme_then: str
    programme_now: str
    indicators: list[Compared]
    regions: list[Compared]
    bands: list[Compared]


def _counted(found: Evaluation, table: int, row: Count, basis: str) -> Earlier:
    """A share of counted municipalities (attendance lists, table 4)."""
    where = row.where
    return Earlier(
        value=row.value,
        percentage=row.percentage,
        basis=basis,
        source=found.cite(table, where),
        numerator=row.counted,
        denominator=row.municipalities,
        note=row.note,
    )


def _known(found: Evaluation, column: str) -> Earlier:
    """Awareness as the web survey measured it (table 3): all who know the guide, the
    meetings or both, which is everyone but "Geen van beide"."""
    table = found.table(3)
    shares = table.column(column)
    assert shares is not None  # the check of the data file holds every band and the total
    percentage = 100 - shares.shares["neither"]
    return Earlier(percentage / 100, percentage, table.basis, found.cite(3))


def _used(found: Evaluation) -> Earlier:
    table = found.table(5)
    total = table.column(IN_ALL)
    assert total is not None
    percentage = total.shares["yes"]
    return Earlier(percentage / 100, percentage, table.basis, found.cite(5))


def comparison(session: Session, register: Register) -> Comparison:
    """The evaluation's participation per region, awareness per band, and the three figures
    in all, beside the live figures of every municipality and of the target group."""
    found, tallies, sizes = evaluation(), counts(session), population(register)

    def compared(indicator: str, dimension: str, group: str, earlier: Earlier | None) -> Compared:
        return Compared(
            indicator,
            group,
            earlier,
            figure(indicator, tallies, sizes, ALL, dimension, group),
            figure(indicator, tallies, sizes, TARGET_GROUP, dimension, group),
        )

    attendance = found.table(4)
    assert attendance.total is not None
    attended = "gemeenten aanwezig bij een of meer regiobijeenkomsten"
    regions = []
    for region in DIMENSIONS["region"]:
        row = attendance.row(region)
        earlier = _counted(found, 4, row, attended) if row else None
        regions.append(compared("participation", "region", region, earlier))
    everyone = len(register)
    return Comparison(
        title=found.title,
        version=found.version,
        date=found.date,
        source=f"{found.source.short}, {found.source.publisher}, {found.source.published_label}",
        note=COMPARED_NOTE.format(
            then=found.note, all=everyone, target_group=len(register.target_group)
        ),
        programme_then=found.source.programme,
        programme_now=PROGRAMME_2012,
        indicators=[
            compared("awareness", TOTAL, "", _known(found, IN_ALL)),
            compared("use", TOTAL, "", _used(found)),
            compared("participation", TOTAL, "", _counted(found, 4, attendance.total, attended)),
        ],
        regions=regions,
        bands=[
            compared("awareness", "band", band, _known(found, band)) for band in DIMENSIONS["band"]
        ],
    )
