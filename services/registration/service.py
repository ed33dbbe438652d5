"""Registration use cases: each one transaction, domain rules inside, events to the outbox.

Everything that changes who has a seat takes the meeting's row lock first, so
concurrent registrations, cancellations and capacity changes queue up on it
and a meeting is never overbooked.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.registration.domain import (
    Notice,
    Status,
    programme_year_over,
    status_for_new_registration,
    why_capacity_refused,
    why_registration_closed,
    why_role_not_admitted,
    why_times_wrong,
)
from services.registration.models import MailQueue, Meeting, Registration
from shared.clock import utcnow
from shared.events.catalogue import (
    ATTENDANCE_REVOKED,
    ATTENDED,
    MEETING_CANCELLED,
    MEETING_CHANGED,
    MEETING_SCHEDULED,
    PROMOTED,
    REGISTERED,
    REGISTRATION_CANCELLED,
    WAITLISTED,
)
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.problems import Conflict, Invalid, NotFound

ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)


def _tell(session: Session, notice: Notice, registrations: list[Registration]) -> None:
    """Queue the mails in this transaction; the mail worker sends them after it committed."""
    for registration in registrations:
        queue_mail(session, MailQueue, notice, registration.id)


# -- reading ---------------------------------------------------------------------


def _count(meeting: Meeting, status: str, change: int) -> None:
    """Keep the meeting's counters in step with a status change; needs the meeting lock."""
    if status == Status.CONFIRMED:
        meeting.confirmed += change
    elif status == Status.WAITLISTED:
        meeting.waiting += change


def newcomer_position(registration: Registration) -> int | None:
    """The place of a registration just made: the newest is last in line."""
    if registration.status != Status.WAITLISTED:
        return None
    return registration.meeting.waiting


def waitlist_position(session: Session, registration: Registration) -> int | None:
    """1 for the first in line; None for anyone not waiting."""
    if registration.status != Status.WAITLISTED:
        return None
    ahead = session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.meeting_id == registration.meeting_id,
            Registration.status == Status.WAITLISTED,
            Registration.arrival < registration.arrival,
        )
    )
    return (ahead or 0) + 1


def get_meeting(session: Session, meeting_id: str, *, lock: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    meeting = session.scalar(query.with_for_update() if lock else query)
    if meeting is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return meeting


def get_registration(session: Session, registration_id: str) -> Registration:
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(f"There is no registration {registration_id}.")
    return registration


def upcoming_meetings(
    session: Session,
    now: datetime,
    *,
    region: str | None = None,
    kind: str | None = None,
    theme: str | None = None,
) -> list[Meeting]:
    query = select(Meeting).where(Meeting.ends_at > now).order_by(Meeting.starts_at)
    if region:
        query = query.where(Meeting.region == region)
    if kind:
        query = query.where(Meeting.kind == kind)
    meetings = list(session.scalars(query))
    return [meeting for meeting in meetings if not theme or theme in meeting.themes]


def registrations_of(session: Session, meeting_id: str) -> list[Registration]:
    """Everyone who registered, in order of arrival."""
    get_meeting(session, meeting_id)
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting_id)
            .order_by(Registration.arrival)
        )
    )


def attendance_of(session: Session, meeting_id: str) -> list[Registration]:
    return [r for r in registrations_of(session, meeting_id) if r.checked_in_at is not None]


# -- meetings ----------------------------------------------------------------------


def _meeting_data(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "kind": meeting.kind,
        "region": meeting.region,
        "themes": meeting.themes,
        "starts_at": meeting.starts_at,
        "capacity": meeting.capacity,
        "counts_for_participation": meeting.counts_for_participation,
        "guide_presented": meeting.guide_presented,
    }


def create_meeting(session: Session, recorder: EventRecorder, data: dict[str, Any]) -> Meeting:
    meeting = Meeting(**data, arrivals=0, confirmed=0, waiting=0)
    session.add(meeting)
    session.flush()
    recorder.record(
        session, MEETING_SCHEDULED, subject=f"meeting/{meeting.id}", data=_meeting_data(meeting)
    )
    return meeting


def change_meeting(
    session: Session, recorder: EventRecorder, meeting_id: str, data: dict[str, Any]
) -> Meeting:
    """Edit a meeting; more seats promote people waiting, and everyone registered is told."""
    meeting = get_meeting(session, meeting_id, lock=True)
    if meeting.cancelled_at is not None:
        raise Conflict("This meeting has been cancelled and can no longer be changed.")
    reason = why_capacity_refused(data.get("capacity"), meeting.confirmed)
    if reason:
        raise Conflict(reason)
    for key, value in data.items():
        setattr(meeting, key, value)
    wrong = why_times_wrong(meeting.starts_at, meeting.ends_at, meeting.registration_deadline)
    if wrong:
        raise Invalid("The meeting's times are out of order.", errors={wrong[0]: [wrong[1]]})
    session.flush()
    promoted = _promote(session, recorder, meeting)
    recorder.record(
        session, MEETING_CHANGED, subject=f"meeting/{meeting.id}", data=_meeting_data(meeting)
    )
    _tell(
        session,
        Notice.MEETING_CHANGED,
        [r for r in _active(session, meeting.id) if r not in promoted],
    )
    return meeting


def cancel_meeting(session: Session, recorder: EventRecorder, meeting_id: str) -> Meeting:
    meeting = get_meeting(session, meeting_id, lock=True)
    if meeting.cancelled_at is not None:
        return meeting  # cancelling twice tells nobody anything new
    meeting.cancelled_at = utcnow()
    recorder.record(
        session,
        MEETING_CANCELLED,
        subject=f"meeting/{meeting.id}",
        data={"meeting_id": meeting.id},
    )
    _tell(session, Notice.MEETING_CANCELLED, _active(session, meeting.id))
    return meeting


def _active(session: Session, meeting_id: str) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting_id, Registration.status.in_(ACTIVE))
            .order_by(Registration.arrival)
        )
    )


# -- registrations -------------------------------------------------------------------


def _registration_event(
    session: Session, recorder: EventRecorder, kind: str, r: Registration, **extra: Any
) -> None:
    """An event about one registration: who it concerns, never their name or address."""
    recorder.record(
        session,
        kind,
        subject=f"registration/{r.id}",
        data={
            "registration_id": r.id,
            "meeting_id": r.meeting_id,
            "role": r.role,
            "municipality_code": r.municipality_code,
            **extra,
        },
    )


def _status_event(session: Session, recorder: EventRecorder, kind: str, r: Registration) -> None:
    _registration_event(session, recorder, kind, r, status=r.status)


def register(
    session: Session,
    recorder: EventRecorder,
    meeting_id: str,
    data: dict[str, Any],
    now: datetime | None = None,
    *,
    walk_in: bool = False,
) -> Registration:
    """Confirmed while seats last, then the waiting list in order of arrival."""
    meeting = get_meeting(session, meeting_id, lock=True)
    now = now or datetime.now(UTC)
    reason = why_registration_closed(
        cancelled=meeting.cancelled_at is not None,
        # The door stays open to walk-ins until the meeting ends.
        deadline=meeting.ends_at if walk_in else meeting.registration_deadline,
        now=now,
    ) or why_role_not_admitted(meeting.kind, data["role"])
    if reason:
        raise Conflict(reason)
    status = status_for_new_registration(meeting.confirmed, meeting.capacity)
    if walk_in and status != Status.CONFIRMED:
        raise Conflict("The meeting is full; raise its capacity to let a walk-in in.")
    meeting.arrivals += 1
    _count(meeting, status, +1)
    registration = Registration(
        id=str(uuid.uuid4()),
        meeting_id=meeting.id,
        meeting=meeting,  # spares loading it again while the lock is held
        status=status,
        arrival=meeting.arrivals,
        walk_in=walk_in,
        **data,
    )
    session.add(registration)
    _status_event(
        session, recorder, REGISTERED if status == Status.CONFIRMED else WAITLISTED, registration
    )
    if not walk_in:
        _tell(session, Notice.RECEIVED, [registration])
    # One flush for everything: every other registration is waiting on the lock.
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(f"{data['email']} is already registered for this meeting.") from error
    return registration


def cancel_registration(
    session: Session, recorder: EventRecorder, registration_id: str
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
    _count(meeting, registration.status, -1)
    registration.status = Status.CANCELLED
    registration.cancelled_at = utcnow()
    session.flush()
    _status_event(session, recorder, REGISTRATION_CANCELLED, registration)
    _promote(session, recorder, meeting)
    return registration


def _promote(session: Session, recorder: EventRecorder, meeting: Meeting) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. Needs the meeting lock."""
    free = meeting.capacity - meeting.confirmed
    if free <= 0 or meeting.cancelled_at is not None:
        return []
    waiting = session.scalars(
        select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == Status.WAITLISTED)
        .order_by(Registration.arrival)
        .limit(free)
    ).all()
    for registration in waiting:
        _count(meeting, registration.status, -1)
        registration.status = Status.CONFIRMED
        _count(meeting, registration.status, +1)
        _status_event(session, recorder, PROMOTED, registration)
    session.flush()
    _tell(session, Notice.PROMOTED, list(waiting))
    return list(waiting)


# -- at the door -------------------------------------------------------------------------


def _attendance_event(
    session: Session, recorder: EventRecorder, kind: str, registration: Registration
) -> None:
    meeting = get_meeting(session, registration.meeting_id)
    _registration_event(
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


def check_in(session: Session, recorder: EventRecorder, registration_id: str) -> Registration:
    registration = _locked_registration(session, registration_id)
    if registration.status != Status.CONFIRMED:
        raise Conflict(
            f"Only confirmed registrations can check in; this one is {registration.status}."
        )
    if registration.checked_in_at is not None:
        return registration  # checking in twice is harmless and publishes nothing new
    registration.checked_in_at = utcnow()
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
    session: Session, recorder: EventRecorder, meeting_id: str, data: dict[str, Any]
) -> Registration:
    """Someone at the door who did not register: registered and checked in at once."""
    registration = register(session, recorder, meeting_id, data, walk_in=True)
    return check_in(session, recorder, registration.id)


# -- reminders and privacy -------------------------------------------------------------------


def queue_reminders(session: Session, now: datetime, ahead: timedelta) -> int:
    """Remind, once, everyone with a seat at a meeting starting within ``ahead``."""
    due = list(
        session.scalars(
            select(Registration)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .where(
                Registration.status == Status.CONFIRMED,
                Registration.reminded_at.is_(None),
                Registration.email.is_not(None),
                Meeting.cancelled_at.is_(None),
                Meeting.starts_at > now,
                Meeting.starts_at <= now + ahead,
            )
            # A second runner skips what the first is reminding.
            .with_for_update(of=Registration, skip_locked=True)
        )
    )
    for registration in due:
        registration.reminded_at = now
    _tell(session, Notice.REMINDER, due)
    return len(due)


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
