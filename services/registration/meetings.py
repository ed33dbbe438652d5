"""Meetings: scheduling, changing and cancelling them, and finding them.

A change or cancellation takes the meeting's row lock first, so it queues up
behind registrations in progress and everyone registered is told what holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.domain import Notice, Status, why_capacity_refused, why_times_wrong
from services.registration.models import Meeting, Registration
from services.registration.news import tell
from services.registration.waiting_list import promote
from shared.events.catalogue import MEETING_CANCELLED, MEETING_CHANGED, MEETING_SCHEDULED
from shared.events.outbox import EventRecorder
from shared.problems import Conflict, Invalid, NotFound

ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)


def get_meeting(session: Session, meeting_id: str, *, lock: bool = False) -> Meeting:
    query = select(Meeting).where(Meeting.id == meeting_id)
    meeting = session.scalar(query.with_for_update() if lock else query)
    if meeting is None:
        raise NotFound(f"There is no meeting {meeting_id}.")
    return meeting


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


class Agenda(NamedTuple):
    """The meetings staff manage: the next one first, as that is the one they work on; past
    ones after, the latest first, as their attendance lists are still wanted."""

    upcoming: list[Meeting]
    past: list[Meeting]


def staff_agenda(session: Session, now: datetime) -> Agenda:
    past = select(Meeting).where(Meeting.ends_at <= now).order_by(Meeting.starts_at.desc())
    return Agenda(upcoming_meetings(session, now), list(session.scalars(past)))


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
    meeting = Meeting(**data, arrivals=0, confirmed=0, waiting=0, sequence=0)
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
    meeting.sequence += 1
    session.flush()
    promoted = promote(session, recorder, meeting)
    recorder.record(
        session, MEETING_CHANGED, subject=f"meeting/{meeting.id}", data=_meeting_data(meeting)
    )
    tell(
        session,
        Notice.MEETING_CHANGED,
        [r for r in _active(session, meeting.id) if r not in promoted],
    )
    return meeting


def cancel_meeting(
    session: Session, recorder: EventRecorder, meeting_id: str, now: datetime
) -> Meeting:
    meeting = get_meeting(session, meeting_id, lock=True)
    if meeting.cancelled_at is not None:
        return meeting  # cancelling twice tells nobody anything new
    meeting.cancelled_at = now
    meeting.sequence += 1
    recorder.record(
        session,
        MEETING_CANCELLED,
        subject=f"meeting/{meeting.id}",
        data={"meeting_id": meeting.id},
    )
    tell(session, Notice.MEETING_CANCELLED, _active(session, meeting.id))
    return meeting


def _active(session: Session, meeting_id: str) -> list[Registration]:
    return list(
        session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting_id, Registration.status.in_(ACTIVE))
            .order_by(Registration.arrival)
        )
    )
