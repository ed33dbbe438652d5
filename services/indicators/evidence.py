"""Turning events into evidence, evidence into coverage, and coverage into the tallies.

A batch of events is folded in memory per piece of evidence, then merged with
what is stored by one upsert, without reading it first. Then only the
municipalities the batch touched are looked at again: where one's coverage of
an indicator changed, the tallies of its groups move by one. So the figures
are kept as events arrive and never recounted from all events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, or_, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from services.indicators.figures import TARGET_GROUP, TOTAL, places, population, reached
from services.indicators.models import Coverage, Evidence, FigureChange, Tally, holding
from services.indicators.rules import INDICATORS, Effect, effects
from shared.db import dialect_insert
from shared.events.envelope import Event
from shared.municipalities import Register

Key = tuple[str, str]  # (indicator, basis)
Covering = tuple[str, str]  # (indicator, municipality code)
TallyKey = tuple[str, str, str, str]  # (indicator, scope, dimension, grouping)
PARTS = ("at", "seq", "by")  # what orders the events of one kind on one basis, in that order


@dataclass(frozen=True)
class Standing:
    """The latest giving and the latest withdrawing event of one piece of evidence."""

    municipality_code: str
    given_at: datetime | None = None
    given_by: str | None = None
    given_seq: int = 0
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_seq: int = 0

    @property
    def holds(self) -> bool:
        return holding(self.given_at, self.given_seq, self.withdrawn_at, self.withdrawn_seq)


def fold(standing: Standing, effect: Effect, event: Event) -> Standing:
    """Keeps the latest of each kind, so events applied in any order end the same.

    Events of the same time are ordered by the effect's ``seq`` (a survey
    answer's number), then by id, as the SQL merge orders them.
    """
    kind = "given" if effect.gives else "withdrawn"
    at, seq, by = (getattr(standing, f"{kind}_{part}") for part in ("at", "seq", "by"))
    if at is None or (at, seq, by) < (event.time, effect.seq, event.id):
        latest = {"at": event.time, "seq": effect.seq, "by": event.id}
        return replace(standing, **{f"{kind}_{part}": value for part, value in latest.items()})
    return standing


@dataclass
class Folded:
    """A stream of events folded per piece of evidence, with the newest event per covering."""

    standings: dict[Key, Standing] = field(default_factory=dict)
    newest: dict[Covering, datetime] = field(default_factory=dict)

    def add(self, event: Event) -> None:
        for effect in effects(event):
            key = (effect.indicator, effect.basis)
            start = self.standings.get(key) or Standing(effect.municipality_code)
            self.standings[key] = fold(start, effect, event)
            covering = (effect.indicator, effect.municipality_code)
            if covering not in self.newest or self.newest[covering] < event.time:
                self.newest[covering] = event.time


def _newer(column: str, table: Any, incoming: Any) -> ColumnElement[bool]:
    ours, theirs = (
        tuple_(*(getattr(side, f"{column}_{part}") for part in PARTS)) for side in (table, incoming)
    )
    at, their_at = getattr(table, f"{column}_at"), getattr(incoming, f"{column}_at")
    return and_(their_at.is_not(None), or_(at.is_(None), theirs > ours))


def _later(ours: Any, theirs: Any) -> Any:
    return case((or_(ours.is_(None), theirs > ours), theirs), else_=ours)


def _merge_evidence(session: Session, standings: dict[Key, Standing]) -> None:
    """The merge keeps the later time of each kind, as :func:`fold` does."""
    statement = dialect_insert(session, Evidence.__table__)
    table, incoming = Evidence.__table__.c, statement.excluded
    merged = {
        f"{column}_{part}": case(
            (_newer(column, table, incoming), getattr(incoming, f"{column}_{part}")),
            else_=getattr(table, f"{column}_{part}"),
        )
        for column in ("given", "withdrawn")
        for part in PARTS
    }
    session.execute(
        statement.on_conflict_do_update(index_elements=["indicator", "basis"], set_=merged),
        [
            {"indicator": indicator, "basis": basis, **vars(standing)}
            for (indicator, basis), standing in standings.items()
        ],
    )


def _changed_coverings(session: Session, touched: list[Covering]) -> dict[Covering, bool]:
    """The coverings whose state changed, with their new state; their rows are updated.

    The rows are locked (in one order, so consumers side by side cannot
    deadlock) before the evidence is read, so a concurrent batch reads them
    only after this one committed.
    """
    session.execute(
        dialect_insert(session, Coverage.__table__).on_conflict_do_nothing(),
        [{"indicator": i, "municipality_code": code, "covered": False} for i, code in touched],
    )
    codes = sorted({code for _, code in touched})  # by code: what the indexes serve
    rows = session.execute(
        select(Coverage.indicator, Coverage.municipality_code, Coverage.covered)
        .where(Coverage.municipality_code.in_(codes))
        .order_by(Coverage.indicator, Coverage.municipality_code)
        .with_for_update()
    )
    was = {(indicator, code): covered for indicator, code, covered in rows}
    holding = session.execute(
        select(Evidence.indicator, Evidence.municipality_code)
        .where(Evidence.municipality_code.in_(codes), Evidence.holds())
        .distinct()
    )
    now = {(indicator, code) for indicator, code in holding}
    changed = {key: key in now for key in touched if (key in now) != was[key]}
    for covered in (True, False):
        flipped = [key for key, state in changed.items() if state is covered]
        if flipped:
            session.execute(
                Coverage.__table__.update()
                .where(tuple_(Coverage.indicator, Coverage.municipality_code).in_(flipped))
                .values(covered=covered)
            )
    return changed


def tally_moves(
    register: Register, changed: dict[Covering, bool], newest: dict[Covering, datetime]
) -> dict[TallyKey, tuple[int, datetime]]:
    """How each tally moves (and its newest event) when these coverings were touched.

    Municipalities the register does not know keep their evidence but count
    in no figure.
    """
    moves: dict[TallyKey, tuple[int, datetime]] = {}
    for (indicator, code), at in newest.items():
        municipality = register.get(code)
        if municipality is None:
            continue
        state = changed.get((indicator, code))
        step = 0 if state is None else 1 if state else -1
        for place in places(municipality):
            key = (indicator, *place)
            count, latest = moves.get(key, (0, at))
            moves[key] = (count + step, max(latest, at))
    return moves


class Projector:
    """The consumer's projection: a batch of new events into evidence, coverage and tallies."""

    def __init__(self, register: Register, log_changes: bool = True) -> None:
        self.register = register
        self.log_changes = log_changes

    def __call__(self, session: Session, events: list[Event]) -> None:
        folded = Folded()
        for event in events:
            folded.add(event)
        if not folded.standings:
            return
        _merge_evidence(session, folded.standings)
        touched = sorted(folded.newest)
        changed = _changed_coverings(session, touched)
        moves = tally_moves(self.register, changed, folded.newest)
        if not moves:
            return
        statement = dialect_insert(session, Tally.__table__)
        table, incoming = Tally.__table__.c, statement.excluded
        upsert = statement.on_conflict_do_update(
            index_elements=["indicator", "scope", "dimension", "grouping"],
            set_={
                "covered": table.covered + incoming.covered,
                "newest_event_at": _later(table.newest_event_at, incoming.newest_event_at),
            },
        )
        session.execute(
            upsert,
            [
                {
                    "indicator": indicator,
                    "scope": scope,
                    "dimension": dimension,
                    "grouping": grouping,
                    "covered": count,
                    "newest_event_at": at,
                }
                for (indicator, scope, dimension, grouping), (count, at) in moves.items()
            ],
        )
        if self.log_changes:
            self._log(session, moves)

    def _log(self, session: Session, moves: dict[TallyKey, tuple[int, datetime]]) -> None:
        """One history entry per target-group figure (whole or a region's) that moved."""
        moved = {
            key: count
            for key, (count, _) in moves.items()
            if count and key[0] in INDICATORS and key[1] == TARGET_GROUP
            if key[2] in (TOTAL, "region")
        }
        if not moved:
            return
        key = (Tally.indicator, Tally.scope, Tally.dimension, Tally.grouping)
        rows = session.execute(select(*key, Tally.covered).where(tuple_(*key).in_(list(moved))))
        now = {tuple(row[:4]): row[4] for row in rows}
        sizes = population(self.register)
        for key, step in moved.items():
            indicator, scope, dimension, grouping = key
            denominator = sizes[(scope, dimension, grouping)]
            after = now[key]
            session.add(
                FigureChange(
                    indicator=indicator,
                    region=grouping,
                    covered=after,
                    denominator=denominator,
                    target_reached=dimension == TOTAL
                    and reached(INDICATORS[indicator], after - step, after, denominator),
                )
            )


def clear(session: Session) -> None:
    """Everything the projection made, before it is made again from the stored events."""
    for model in (Evidence, Coverage, Tally):
        session.execute(delete(model))
