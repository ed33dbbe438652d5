"""Why a municipality counts: its evidence per indicator and the events it came from.

Every figure can be explained: the evidence behind a municipality's standing
names the event that gave it and the one that withdrew it, and those events
are kept as they were received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.answers import latest_answer
from services.indicators.models import Evidence, ReceivedEvent, SurveyAnswer
from services.indicators.rules import ACTIVITY, INDICATORS
from shared.municipalities import Municipality, Register
from shared.problems import NotFound

# Where the API shows an event as it was received.
EVENT_PATH = "/api/v1/events/"


@dataclass(frozen=True)
class Explained:
    """One piece of evidence with the events that gave and withdrew it."""

    indicator: str
    basis: str
    holds: bool
    given_at: datetime | None
    given_by: str | None
    given_type: str | None
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawn_type: str | None

    @property
    def links(self) -> dict[str, str]:
        """The event that gave the evidence (``event``) and the one that withdrew it, if any:
        what caused it to count, or to count no longer."""
        found = {"event": self.given_by or self.withdrawn_by, "withdrawn_event": self.withdrawn_by}
        return {name: f"{EVENT_PATH}{event_id}" for name, event_id in found.items() if event_id}


@dataclass(frozen=True)
class Explanation:
    """A municipality, whether it counts for each indicator, the evidence why, and its
    latest survey answer."""

    municipality: Municipality
    counts_for: dict[str, bool]
    evidence: list[Explained]
    answer: SurveyAnswer | None


def explain(session: Session, register: Register, code: str) -> Explanation:
    found = register.get(code)
    if found is None:
        raise NotFound(f"There is no municipality {code!r} in the register.")
    rows = session.scalars(
        select(Evidence)
        .where(Evidence.municipality_code == found.code)
        .order_by(Evidence.indicator, Evidence.basis)
    ).all()
    ids = {row.given_by for row in rows} | {row.withdrawn_by for row in rows}
    events = select(ReceivedEvent.id, ReceivedEvent.type).where(ReceivedEvent.id.in_(ids - {None}))
    types = {event_id: kind for event_id, kind in session.execute(events)}
    evidence = [
        Explained(
            row.indicator,
            row.basis,
            row.counts,
            row.given_at,
            row.given_by,
            types.get(row.given_by or ""),
            row.withdrawn_at,
            row.withdrawn_by,
            types.get(row.withdrawn_by or ""),
        )
        for row in rows
    ]
    standing = {
        indicator: any(item.holds for item in evidence if item.indicator == indicator)
        for indicator in (*INDICATORS, ACTIVITY)
    }
    return Explanation(found, standing, evidence, latest_answer(session, found.code))


def event_of(session: Session, event_id: str) -> ReceivedEvent:
    found = session.get(ReceivedEvent, event_id)
    if found is None:
        raise NotFound(f"There is no event {event_id}.")
    return found


def recent_events(session: Session, limit: int = 20) -> list[ReceivedEvent]:
    return list(
        session.scalars(
            select(ReceivedEvent).order_by(ReceivedEvent.received_at.desc()).limit(limit)
        )
    )
