"""Rebuilding everything from the stored events, and checking the live state against it.

``rebuild`` clears evidence, coverage and tallies and replays every received
event through the same projection the consumer uses. ``verify`` folds every
stored event in memory, with no SQL merge and no increments, and lists each
difference from what is stored: the evidence, each municipality's coverage and
every tally. The figure history is a log of what the live figures were, so
neither touches it. Both fold only the stored events the consumer would let
through now (``shared.events.trust``): a forgery taken in before that check
existed stays stored as it came, but counts no more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.indicators.evidence import Folded, Projector, clear, tally_moves
from services.indicators.models import Coverage, Evidence, ReceivedEvent, Tally
from shared.db import Database
from shared.events.envelope import Event
from shared.events.trust import Trust

BATCH = 2000


def stored_events(session: Session, trust: Trust) -> Iterator[Event]:
    """Every received event that may count; the order does not matter, the fold is order-free."""
    columns = (ReceivedEvent.id, ReceivedEvent.type, ReceivedEvent.source, ReceivedEvent.subject)
    query = select(*columns, ReceivedEvent.time, ReceivedEvent.data)
    rows = session.execute(query.execution_options(yield_per=BATCH))
    return trust.trusted(Event(*row) for row in rows)


def count_events(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ReceivedEvent)) or 0


def rebuild(db: Database, trust: Trust, progress: Callable[[int], None]) -> None:
    """One transaction: readers see the old figures until the new ones are complete."""
    project = Projector(trust.register, log_changes=False)
    with db.transaction() as session:
        clear(session)
        batch: list[Event] = []
        for event in stored_events(session, trust):
            batch.append(event)
            if len(batch) == BATCH:
                project(session, batch)
                progress(len(batch))
                batch = []
        project(session, batch)
        progress(len(batch))


def verify(db: Database, trust: Trust) -> list[str]:
    """Every difference between the stored state and a fold of all stored events that may count."""
    folded = Folded()
    with db.transaction() as session:
        for event in stored_events(session, trust):
            folded.add(event)
        evidence = {
            (row.indicator, row.basis): (row.municipality_code, row.given_by, row.withdrawn_by)
            for row in session.scalars(select(Evidence))
        }
        covered = {
            (row.indicator, row.municipality_code)
            for row in session.scalars(select(Coverage).where(Coverage.covered.is_(True)))
        }
        tallies = {
            (row.indicator, row.scope, row.dimension, row.grouping): (
                row.covered,
                row.newest_event_at,
            )
            for row in session.scalars(select(Tally))
        }
    differences: list[str] = []
    expected_evidence = {
        key: (standing.municipality_code, standing.given_by, standing.withdrawn_by)
        for key, standing in folded.standings.items()
    }
    _compare("evidence", expected_evidence, evidence, differences)
    holding = {
        (indicator, standing.municipality_code)
        for (indicator, _), standing in folded.standings.items()
        if standing.holds
    }
    _compare("coverage", dict.fromkeys(holding, True), dict.fromkeys(covered, True), differences)
    changed = dict.fromkeys(holding, True)
    expected_tallies: dict[tuple[str, str, str, str], tuple[int, datetime | None]] = dict(
        tally_moves(trust.register, changed, folded.newest)
    )
    _compare("tally", expected_tallies, tallies, differences)
    return differences


def _compare(
    kind: str, expected: dict[Any, Any], stored: dict[Any, Any], differences: list[str]
) -> None:
    for key in sorted(expected.keys() | stored.keys(), key=str):
        want, have = expected.get(key), stored.get(key)
        if want != have:
            differences.append(f"{kind} {key}: expected {want}, stored {have}")
