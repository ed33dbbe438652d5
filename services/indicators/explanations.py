"""Why a municipality counts: its evidence per indicator and the events it came from.

Every figure can be explained: the evidence behind a municipality's standing
names the event that gave it and the one that withdrew it, and those events
are kept as they were received.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.answers import latest_answer
from services.indicators.models import Evidence, ReceivedEvent, SurveyAnswer
from services.indicators.rules import ACTIVITY, INDICATORS
from services.indicators.wording import describe
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED, MEETING_CHANGED, MEETING_SCHEDULED
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
    # What it rests on in words (``wording.describe``), for the pages.
    described: str = ""

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
    events = {
        event.id: event
        for event in session.scalars(
            select(ReceivedEvent).where(ReceivedEvent.id.in_(ids - {None}))
        )
    }
    attended = (ATTENDED, ATTENDANCE_REVOKED)
    meetings = _meetings(
        session, {e.data["meeting_id"] for e in events.values() if e.type in attended}
    )
    names = {municipality.code: municipality.name for municipality in register}

    def explained(row: Evidence) -> Explained:
        given, withdrawn = events.get(row.given_by or ""), events.get(row.withdrawn_by or "")
        behind = given or withdrawn
        data = behind.data if behind else {}
        words = describe(
            row.basis,
            behind.type if behind else None,
            data,
            behind.time if behind else None,
            names,
            meetings.get(str(data.get("meeting_id"))),
        )
        return Explained(
            row.indicator,
            row.basis,
            row.counts,
            row.given_at,
            row.given_by,
            given.type if given else None,
            row.withdrawn_at,
            row.withdrawn_by,
            withdrawn.type if withdrawn else None,
            words,
        )

    evidence = [explained(row) for row in rows]
    standing = {
        indicator: any(item.holds for item in evidence if item.indicator == indicator)
        for indicator in (*INDICATORS, ACTIVITY)
    }
    return Explanation(found, standing, evidence, latest_answer(session, found.code))


def _meetings(session: Session, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each meeting's data as its latest scheduled or changed event gave it: what an
    attendance was at. Few meetings are held a year, so all their events are read."""
    wanted, found = set(ids), {}
    for event in session.scalars(
        select(ReceivedEvent)
        .where(ReceivedEvent.type.in_((MEETING_SCHEDULED, MEETING_CHANGED)))
        .order_by(ReceivedEvent.time)
    ):
        if event.data.get("meeting_id") in wanted:
            found[event.data["meeting_id"]] = event.data
    return found


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
