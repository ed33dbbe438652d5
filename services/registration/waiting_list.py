"""Who has a seat and who waits for one: the meeting's counters, places in line, and seats
handed on in order of arrival. Whatever changes them needs the meeting's row lock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.registration.domain import Notice, Status, waitlist_positions
from services.registration.models import Meeting, Registration
from services.registration.news import status_event, tell
from shared.events.catalogue import PROMOTED
from shared.events.outbox import EventRecorder


@dataclass(frozen=True)
class Placed:
    """A registration with its place on the waiting list, as the API shows it."""

    registration: Registration
    waitlist_position: int | None = None


def count(meeting: Meeting, status: str, change: int) -> None:
    """Keep the meeting's counters in step with a status change."""
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


def in_line(in_arrival_order: list[Registration]) -> list[Placed]:
    """Everyone who registered for one meeting, each with their place."""
    positions = waitlist_positions(in_arrival_order)
    return [Placed(r, positions.get(r.id)) for r in in_arrival_order]


def promote(session: Session, recorder: EventRecorder, meeting: Meeting) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served, and tell who got one."""
    free = meeting.capacity - meeting.confirmed
    if free <= 0 or meeting.cancelled_at is not None:
        return []
    waiting = list(
        session.scalars(
            select(Registration)
            .where(Registration.meeting_id == meeting.id, Registration.status == Status.WAITLISTED)
            .order_by(Registration.arrival)
            .limit(free)
        )
    )
    for registration in waiting:
        count(meeting, registration.status, -1)
        registration.status = Status.CONFIRMED
        count(meeting, registration.status, +1)
        status_event(session, recorder, PROMOTED, registration)
    session.flush()
    tell(session, Notice.PROMOTED, waiting)
    return waiting
