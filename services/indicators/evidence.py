"""Turning events into evidence, and evidence into the set of municipalities it covers.

A batch of events is folded in memory per piece of evidence, then merged with
what is stored by one upsert, without reading it first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from services.indicators.models import Evidence
from services.indicators.rules import basis_of, evidence_from, withdraws
from shared.db import dialect_insert
from shared.events.envelope import Event

Key = tuple[str, str]  # (indicator, basis)


@dataclass(frozen=True)
class Standing:
    """The latest giving and the latest withdrawing event of one piece of evidence."""

    municipality_code: str
    given_at: datetime | None = None
    given_by: str | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @property
    def holds(self) -> bool:
        """Given after it was last withdrawn (``Evidence.holds`` says the same in SQL)."""
        if self.given_at is None:
            return False
        return self.withdrawn_at is None or self.withdrawn_at < self.given_at


def fold(standing: Standing, event: Event) -> Standing:
    """Keeps the latest of each kind, so events applied in any order end the same."""
    if withdraws(event.type):
        if standing.withdrawn_at is None or standing.withdrawn_at < event.time:
            return replace(standing, withdrawn_at=event.time, withdrawn_by=event.id)
    elif standing.given_at is None or standing.given_at < event.time:
        return replace(standing, given_at=event.time, given_by=event.id)
    return standing


def _newer(column: str, table: Any, incoming: Any) -> ColumnElement[bool]:
    ours, theirs = getattr(table, f"{column}_at"), getattr(incoming, f"{column}_at")
    return and_(theirs.is_not(None), or_(ours.is_(None), theirs > ours))


def record_evidence(session: Session, events: list[Event]) -> None:
    """Fold the batch per piece of evidence, then merge it with what is stored in one upsert.

    The merge keeps the later time of each kind, as :func:`fold` does, so the
    stored evidence never has to be read first.
    """
    standings: dict[Key, Standing] = {}
    for event in events:
        for indicator in evidence_from(event.type, event.data):
            key = (indicator, basis_of(event.data))
            start = standings.get(key) or Standing(event.data["municipality_code"])
            standings[key] = fold(start, event)
    if not standings:
        return
    statement = dialect_insert(session, Evidence.__table__)
    table, incoming = Evidence.__table__.c, statement.excluded
    merged = {
        f"{column}_{part}": case(
            (_newer(column, table, incoming), getattr(incoming, f"{column}_{part}")),
            else_=getattr(table, f"{column}_{part}"),
        )
        for column in ("given", "withdrawn")
        for part in ("at", "by")
    }
    session.execute(
        statement.on_conflict_do_update(index_elements=["indicator", "basis"], set_=merged),
        [
            {
                "indicator": indicator,
                "basis": basis,
                "municipality_code": standing.municipality_code,
                "given_at": standing.given_at,
                "given_by": standing.given_by,
                "withdrawn_at": standing.withdrawn_at,
                "withdrawn_by": standing.withdrawn_by,
            }
            for (indicator, basis), standing in standings.items()
        ],
    )


def covered_municipalities(session: Session, indicator: str) -> set[str]:
    """Codes of the municipalities with at least one piece of evidence that holds."""
    query = (
        select(Evidence.municipality_code)
        .where(Evidence.indicator == indicator, Evidence.holds())
        .distinct()
    )
    return set(session.scalars(query))
