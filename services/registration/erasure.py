"""Erasing personal data once a meeting's programme year is over."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from services.registration.domain import programme_year_over
from services.registration.meetings import get_meeting
from services.registration.registrations import registrations_of
from shared.problems import Conflict


def erase_personal_data(session: Session, meeting_id: str, now: datetime) -> int:
    """Forget names and addresses; who came from which municipality stays."""
    meeting = get_meeting(session, meeting_id, lock=True)
    if not programme_year_over(meeting.starts_at, now):
        raise Conflict(
            "Personal data can be erased once the programme year of the meeting is over."
        )
    erased = 0
    for registration in registrations_of(session, meeting_id):
        if registration.erased_at is None:
            registration.name = None
            registration.email = None
            registration.organisation = None
            registration.erased_at = now
            erased += 1
    return erased
