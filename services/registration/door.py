"""At the door: checking people in (and undoing it), and letting in who did not register."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.domain import Status
from services.registration.meetings import get_meeting
from services.registration.models import Registration
from services.registration.news import registration_event
from services.registration.registrations import register
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED
from shared.events.outbox import EventRecorder
from shared.problems import Conflict, NotFound


@dataclass(frozen=True)
class Arrivals:
    """What the door counts: of those who registered, how many are in, and who came in without
    registering, apart, so the first figure tells how many are still to come."""

    arrived: int
    expected: int
    walk_ins: int


def arrivals(confirmed: Sequence[Registration]) -> Arrivals:
    registered = [r for r in confirmed if not r.walk_in]
    return Arrivals(
        arrived=sum(r.checked_in_at is not None for r in registered),
        expected=len(registered),
        walk_ins=sum(r.walk_in for r in confirmed),
    )


def _attendance_event(
    session: Session, recorder: EventRecorder, kind: str, registration: Registration
) -> None:
    """With what the indicators count attendance by, so they need not ask for the meeting."""
    meeting = get_meeting(session, registration.meeting_id)
    registration_event(
        session,
        recorder,
        kind,
        registration,
        counts_for_participation=meeting.counts_for_participation,
        guide_presented=meeting.guide_presented,
    )


def _locked_registration(session: Session, registration_id: str) -> Registration:
    registration = session.scalar(
        select(Registration).where(Registration.id == registration_id).with_for_update()
    )
    if registration is None:
        raise NotFound(f"There is no registration {registration_id}.")
    return registration


def check_in(
    session: Session, recorder: EventRecorder, registration_id: str, now: datetime
) -> Registration:
    registration = _locked_registration(session, registration_id)
    if registration.status != Status.CONFIRMED:
        raise Conflict(
            f"Only confirmed registrations can check in; this one is {registration.status}."
        )
    if registration.checked_in_at is not None:
        return registration  # checking in twice is harmless and publishes nothing new
    registration.checked_in_at = now
    _attendance_event(session, recorder, ATTENDED, registration)
    return registration


def undo_check_in(session: Session, recorder: EventRecorder, registration_id: str) -> Registration:
    registration = _locked_registration(session, registration_id)
    if registration.checked_in_at is None:
        return registration  # nothing to undo
    registration.checked_in_at = None
    _attendance_event(session, recorder, ATTENDANCE_REVOKED, registration)
    return registration


def walk_in(
    session: Session,
    recorder: EventRecorder,
    meeting_id: str,
    data: dict[str, Any],
    now: datetime,
) -> Registration:
    """Someone at the door who did not register: registered and checked in at once."""
    registration = register(session, recorder, meeting_id, data, now=now, walk_in=True)
    return check_in(session, recorder, registration.id, now)
