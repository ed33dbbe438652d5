"""The figures as staff and the API read them: a scope's overview, per group, and who is missing.

Read from the tallies and the coverage the projection keeps as events arrive,
never recounted from the events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.figures import (
    ALL,
    OUTSIDE,
    TARGET_GROUP,
    Counts,
    Figure,
    figures,
    groups,
    population,
)
from services.indicators.models import Coverage, Tally
from services.indicators.rules import ACTIVITY, INDICATORS
from shared.municipalities import Municipality, Register


def counts(session: Session) -> Counts:
    rows = session.execute(
        select(
            Tally.indicator,
            Tally.scope,
            Tally.dimension,
            Tally.grouping,
            Tally.covered,
            Tally.newest_event_at,
        )
    )
    return {(row[0], row[1], row[2], row[3]): (row[4], row[5]) for row in rows}


class Group(NamedTuple):
    """The figures of one group (a region, a province, a band) of a scope."""

    name: str
    figures: list[Figure]


@dataclass(frozen=True)
class Overview:
    """The figures of one scope, per group when asked, and the outsiders apart."""

    scope: str
    group_by: str | None
    figures: list[Figure]
    groups: list[Group]
    outside: list[Figure]
    activity: Figure


def overview(session: Session, register: Register, scope: str, group_by: str | None) -> Overview:
    found, sizes = counts(session), population(register)
    per_group = [
        Group(name, figures(found, sizes, scope, group_by, name))
        for name in (groups(sizes, scope, group_by) if group_by else [])
    ]
    return Overview(
        scope=scope,
        group_by=group_by,
        figures=figures(found, sizes, scope),
        groups=per_group,
        outside=figures(found, sizes, OUTSIDE) if scope == TARGET_GROUP else [],
        activity=figures(found, sizes, ALL, indicators=[ACTIVITY])[0],
    )


def covered(session: Session, indicator: str) -> set[str]:
    query = select(Coverage.municipality_code).where(
        Coverage.indicator == indicator, Coverage.covered.is_(True)
    )
    return set(session.scalars(query))


class Missing(NamedTuple):
    """The target-group municipalities without evidence for one indicator."""

    indicator: str
    municipalities: list[Municipality]


def missing(session: Session, register: Register) -> list[Missing]:
    """Per indicator, the target-group municipalities without evidence: whom to approach."""
    found = {indicator: covered(session, indicator) for indicator in INDICATORS}
    return [
        Missing(indicator, [m for m in register.target_group if m.code not in codes])
        for indicator, codes in found.items()
    ]
