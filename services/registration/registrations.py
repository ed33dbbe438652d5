"""Registrations: registering and cancelling, and who registered for a meeting.

Everything that changes who has a seat takes the meeting's row lock first, so
concurrent registrations and cancellations queue up on it and a meeting is
never overbooked.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from services.registration.domain import (
    Notice,
    Status,
    status_for_new_registration,
    why_registration_closed,
    why_role_not_admitted,
)
from services.registration.meetings import get_meeting
from services.registration.models import Meeting, Registration
from services.registration.news import status_event, tell
from services.registration.waiting_list import Placed, count, promote, waitlist_position
from shared.events.catalogue import REGISTERED, REGISTRATION_CANCELLED, WAITLISTED
from shared.events.outbox import EventRecorder
from shared.problems import Conflict, NotFound


@dataclass(frozen=True)
class Roll:
    """A meeting and everyone who registered for it, in order of arrival."""

    meeting: Meeting
    everyone: list[Registration]

    @property
    def present(self) -> list[Registration]:
        return [r for r in self.everyone if r.checked_in_at is not None]


def get_registration(session: Session, registration_id: str, *options: ORMOption) -> Registration:
    registration = session.get(Registration, registration_id, options=options)
    if registration is None:
        raise NotFound(f"There is no registration {registration_id}.")
    return registration


def placed(session: Session, registration_id: str) -> Placed:
    """A registration as its person or staff look it up: with its meeting and place in line."""
    registration = get_registration(session, registration_id, joinedload(Registration.meeting))
    return Placed(registration, waitlist_position(session, registration))


def _in_arrival_order(session: Session, meeting_id: str) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting_id)
            .order_by(Registration.arrival)
        )
    )


def registrations_of(session: Session, meeting_id: str) -> list[Registration]:
    """Everyone who registered, in order of arrival."""
    get_meeting(session, meeting_id)
    return _in_arrival_order(session, meeting_id)


def roll_of(session: Session, meeting_id: str) -> Roll:
    meeting = get_meeting(session, meeting_id)
    return Roll(meeting, _in_arrival_order(session, meeting.id))


def register(
    session: Session,
    recorder: EventRecorder,
    meeting_id: str,
    data: dict[str, Any],
    *,
    now: datetime,
    walk_in: bool = False,
) -> Registration:
    """Confirmed while seats last, then the waiting list in order of arrival."""
    meeting = get_meeting(session, meeting_id, lock=True)
    reason = why_registration_closed(
        cancelled=meeting.cancelled_at is not None,
        # The door stays open to walk-ins until the meeting ends.
        deadline=meeting.ends_at if walk_in else meeting.registration_deadline,
        now=now,
    ) or why_role_not_admitted(meeting.kind, data["role"], admits_aldermen=meeting.admits_aldermen)
    if reason:
        raise Conflict(reason)
    status = status_for_new_registration(meeting.confirmed, meeting.capacity)
    if walk_in and status != Status.CONFIRMED:
        raise Conflict("The meeting is full; raise its capacity to let a walk-in in.")
    meeting.arrivals += 1
    count(meeting, status, +1)
    registration = Registration(
        id=str(uuid.uuid4()),
        meeting_id=meeting.id,
        meeting=meeting,  # spares loading it again while the lock is held
        status=status,
        arrival=meeting.arrivals,
        walk_in=walk_in,
        created_at=now,  # the service's clock, as the cancellation's: days count by it
        **data,
    )
    session.add(registration)
    status_event(
        session, recorder, REGISTERED if status == Status.CONFIRMED else WAITLISTED, registration
    )
    if not walk_in:
        tell(session, Notice.RECEIVED, [registration])
    # One flush for everything: every other registration is waiting on the lock.
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(f"{data['email']} is already registered for this meeting.") from error
    return registration


def cancel_registration(
    session: Session, recorder: EventRecorder, registration_id: str, now: datetime
) -> Registration:
    """Cancel; a freed seat goes to the first person waiting."""
    meeting_id = get_registration(session, registration_id).meeting_id
    meeting = get_meeting(session, meeting_id, lock=True)
    registration = get_registration(session, registration_id)
    session.refresh(registration)  # as it is now that the meeting is locked
    if registration.status == Status.CANCELLED:
        return registration
    if registration.checked_in_at is not None:
        raise Conflict("This person has been checked in; undo the check-in first.")
    count(meeting, registration.status, -1)
    registration.status = Status.CANCELLED
    registration.cancelled_at = now
    session.flush()
    status_event(session, recorder, REGISTRATION_CANCELLED, registration)
    tell(session, Notice.CANCELLED, [registration])
    promote(session, recorder, meeting)
    return registration


def send_link_again(session: Session, meeting_id: str, email: str) -> None:
    """Mail the personal link again, only to the address that registered, and say nothing
    of whether it did: the caller answers the same either way, so the form tells nobody
    who registered."""
    get_meeting(session, meeting_id)
    registration = session.scalar(
        select(Registration).where(
            Registration.meeting_id == meeting_id,
            func.lower(Registration.email) == email.strip().lower(),
            Registration.status != Status.CANCELLED,
        )
    )
    if registration is not None:
        tell(session, Notice.LINK_AGAIN, [registration])
