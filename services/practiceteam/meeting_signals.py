"""Signals raised at GIA meetings with the ministry's answers, taken in from registration's
events, so the public page shows them beside what the praktijkteams taught the ministry.

Only what registration published is kept: themes, municipalities, the meeting's kind,
region and day, and the text and answer as staff wrote them for publication.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.practiceteam.models import MeetingSignal
from shared.events.catalogue import SignalAnswered
from shared.events.envelope import Event

_SCHEMA = SignalAnswered()


def take_in_signals(session: Session, events: list[Event]) -> None:
    """The consumer's projection: an answered signal becomes (or updates) its row, so an
    event delivered twice, even under another id, leaves one row. The consumer lets only
    registration's own events through, about municipalities of the register
    (``shared.events.trust``); its queue is bound to this one type."""
    for event in events:
        data = _SCHEMA.load(event.data)
        ids = {"id": str(data.pop("signal_id")), "meeting_id": str(data.pop("meeting_id"))}
        session.merge(MeetingSignal(**ids, **data, event_id=event.id))


def answered_signals(session: Session) -> list[MeetingSignal]:
    """Newest answer first."""
    return list(
        session.scalars(
            select(MeetingSignal).order_by(MeetingSignal.answered_at.desc(), MeetingSignal.id)
        )
    )
