"""Registration use cases: each one transaction, domain rules inside, events to the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.registration.domain import (
    Status,
    status_for_new_registration,
    why_registration_closed,
    why_role_not_admitted,
)
from services.registration.models import Meeting, Registration
from shared.events.catalogue import ATTENDED, MEETING_SCHEDULED, REGISTERED
from shared.events.outbox import EventRecorder, utcnow
from shared.problems import Conflict, NotFound


def confirmed_count(session: Session, meeting_id: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.meeting_id == meeting_id, Registration.status == Status.CONFIRMED)
        )
        or 0
    )


def create_meeting(session: Session, recorder: EventRecorder, data: dict[str, Any]) -> Meeting:
    meeting = Meeting(**data)
    session.add(meeting)
    session.flush()
    recorder.record(
        session,
        MEETING_SCHEDULED,
        subject=f"meeting/{meeting.id}",
        data={
            "meeting_id": meeting.id,
            **{key: data[key] for key in ("kind", "region", "themes", "starts_at", "capacity")},
            "counts_for_participation": meeting.counts_for_participation,
            "guide_presented": meeting.guide_presented,
        },
    )
    return meeting


def get_meeting(session: Session, meeting_id: str, *, lock: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    meeting = session.scalar(query.with_for_update() if lock else query)
    if meeting is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return meeting


def register(
    session: Session,
    recorder: EventRecorder,
    meeting_id: str,
    data: dict[str, Any],
    now: datetime | None = None,
) -> Registration:
    """Takes the meeting's row lock before counting seats, so concurrent registrations queue up."""
    meeting = get_meeting(session, meeting_id, lock=True)
    now = now or datetime.now(UTC)
    reason = why_registration_closed(
        cancelled=meeting.cancelled_at is not None,
        deadline=meeting.registration_deadline,
        now=now,
    ) or why_role_not_admitted(meeting.kind, data["role"])
    if reason:
        raise Conflict(reason)
    status = status_for_new_registration(confirmed_count(session, meeting.id), meeting.capacity)
    registration = Registration(meeting_id=meeting.id, status=status, **data)
    session.add(registration)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(f"{data['email']} is already registered for this meeting.") from error
    recorder.record(
        session,
        REGISTERED,
        subject=f"registration/{registration.id}",
        data={
            "registration_id": registration.id,
            "meeting_id": meeting.id,
            "status": status,
            "role": registration.role,
            "municipality_code": registration.municipality_code,
        },
    )
    return registration


def check_in(session: Session, recorder: EventRecorder, registration_id: str) -> Registration:
    registration = session.scalar(
        select(Registration).where(Registration.id == registration_id).with_for_update()
    )
    if registration is None:
        raise NotFound(f"There is no registration {registration_id}.")
    if registration.status != Status.CONFIRMED:
        raise Conflict(
            f"Only confirmed registrations can check in; this one is {registration.status}."
        )
    if registration.checked_in_at is not None:
        return registration  # checking in twice is harmless and publishes nothing new
    meeting = get_meeting(session, registration.meeting_id)
    registration.checked_in_at = utcnow()
    recorder.record(
        session,
        ATTENDED,
        subject=f"registration/{registration.id}",
        data={
            "registration_id": registration.id,
            "meeting_id": meeting.id,
            "municipality_code": registration.municipality_code,
            "role": registration.role,
            "counts_for_participation": meeting.counts_for_participation,
            "guide_presented": meeting.guide_presented,
        },
    )
    return registration
