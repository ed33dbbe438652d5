"""Signals raised at GIA meetings with the ministry's answers, taken in from registration's
events, so the public page shows them beside what the praktijkteams taught the ministry.

Only what registration published is kept: themes, municipalities, the meeting's kind,
region and day, and the text and answer as staff wrote them for publication.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.practiceteam.models import MeetingSignal
from shared.events.catalogue import SIGNAL_ANSWERED, SignalAnswered
from shared.events.envelope import Event
from shared.municipalities import Register

log = logging.getLogger(__name__)
_SCHEMA = SignalAnswered()


class TakeInSignals:
    """The consumer's projection: an answered signal becomes (or updates) its row, so an
    event delivered twice, even under another id, leaves one row."""

    def __init__(self, register: Register, registration_source: str) -> None:
        self.register = register
        self.registration_source = registration_source

    def why_untrusted(self, event: Event) -> str | None:
        """An event counts only from its producer, about municipalities of the register."""
        if event.type != SIGNAL_ANSWERED:
            return f"not an event this service takes in ({event.type})"
        if event.source != self.registration_source:
            return f"{event.type} from {event.source}, not from registration"
        unknown = [code for code in event.data["municipality_codes"] if code not in self.register]
        if unknown:
            return f"municipalities not in the register: {', '.join(unknown)}"
        return None

    def __call__(self, session: Session, events: list[Event]) -> None:
        for event in events:
            reason = self.why_untrusted(event)
            if reason:
                log.warning("event %s kept but not shown: %s", event.id, reason)
                continue
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
