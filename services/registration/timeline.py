"""Registrations over time: per day and in total, for one meeting or a kind, region and year,
so staff see early whether a meeting will fill."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.domain import Day, per_day, programme_year_of
from services.registration.meetings import get_meeting
from services.registration.models import Meeting, Registration
from services.registration.plan import year_bounds


@dataclass(frozen=True)
class Timeline:
    """Registrations and cancellations per Dutch calendar day, with the seats they compete for."""

    meetings: int
    capacity: int
    days: list[Day]
    # What was chosen: one meeting, or any of kind, region and programme year.
    kind: str | None = None
    region: str | None = None
    year: int | None = None
    meeting: Meeting | None = None

    @property
    def meeting_id(self) -> str | None:
        return self.meeting.id if self.meeting else None

    @property
    def registered(self) -> int:
        return self.days[-1].registered_total if self.days else 0

    @property
    def cancelled(self) -> int:
        return self.days[-1].cancelled_total if self.days else 0

    @property
    def active(self) -> int:
        return self.registered - self.cancelled


def _days(session: Session, meeting_ids: list[str]) -> list[Day]:
    return per_day(
        session.execute(
            select(Registration.created_at, Registration.cancelled_at).where(
                Registration.meeting_id.in_(meeting_ids)
            )
        )
    )


def meeting_timeline(session: Session, meeting_id: str) -> Timeline:
    meeting = get_meeting(session, meeting_id)
    return Timeline(
        meetings=1,
        capacity=meeting.capacity,
        days=_days(session, [meeting.id]),
        kind=meeting.kind,
        region=meeting.region,
        year=programme_year_of(meeting.starts_at),
        meeting=meeting,
    )


def timeline(
    session: Session, *, kind: str | None = None, region: str | None = None, year: int | None = None
) -> Timeline:
    """Over the meetings that still go ahead: a cancelled meeting will not fill, and its
    registrations (never cancelled one by one) would only hide how the others do."""
    query = select(Meeting.id, Meeting.capacity).where(Meeting.cancelled_at.is_(None))
    if kind:
        query = query.where(Meeting.kind == kind)
    if region:
        query = query.where(Meeting.region == region)
    if year is not None:
        start, end = year_bounds(year)
        query = query.where(Meeting.starts_at >= start, Meeting.starts_at < end)
    chosen = session.execute(query).all()
    return Timeline(
        meetings=len(chosen),
        capacity=sum(row.capacity for row in chosen),
        days=_days(session, [row.id for row in chosen]),
        kind=kind,
        region=region,
        year=year,
    )
