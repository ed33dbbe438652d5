"""The programme against its plan.

Staff set per programme year how many meetings of each kind they plan per region (the 2012
letter promises 15 regional GIA meetings and 3 Raad voor Raad meetings); this sets that plan
and counts the year's meetings against it: scheduled, held, ended without an attendance
list, cancelled, and the target-group municipalities no meeting has reached yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.registration.domain import (
    KINDS,
    PROGRAMME_YEARS,
    MeetingState,
    meeting_state,
    unreached,
)
from services.registration.models import Meeting, MeetingPlan, Registration
from shared.clock import AMSTERDAM
from shared.municipalities import REGIONS, Municipality
from shared.problems import Conflict, NotFound

# How many meetings of each kind staff plan per region: {kind: {region: number}}.
Planned = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Tally:
    """Meetings of one kind in one region (or all regions: ``region`` None) against the plan."""

    region: str | None
    planned: int
    states: Counter[MeetingState]

    @property
    def scheduled(self) -> int:
        return self.states[MeetingState.SCHEDULED]

    @property
    def held(self) -> int:
        return self.states[MeetingState.HELD]

    @property
    def ended_without_attendance(self) -> int:
        return self.states[MeetingState.UNRECORDED]

    @property
    def cancelled(self) -> int:
        return self.states[MeetingState.CANCELLED]

    @property
    def to_schedule(self) -> int:
        """Planned meetings not yet scheduled or held: what staff still have to arrange."""
        return max(self.planned - self.scheduled - self.held - self.ended_without_attendance, 0)


@dataclass(frozen=True)
class KindTally(Tally):
    """A kind's meetings in all regions, with each region's tally."""

    kind: str
    regions: list[Tally]


@dataclass(frozen=True)
class PlanView:
    year: int
    kinds: list[KindTally]
    target_group: int
    unreached: list[Municipality]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The programme year as the Dutch calendar has it: from 1 January 00:00 in Amsterdam."""
    if year not in PROGRAMME_YEARS:
        raise NotFound(
            f"There is no programme year {year}; use a year from "
            f"{PROGRAMME_YEARS.start} to {PROGRAMME_YEARS.stop - 1}."
        )
    return datetime(year, 1, 1, tzinfo=AMSTERDAM), datetime(year + 1, 1, 1, tzinfo=AMSTERDAM)


def planned_in(session: Session, year: int) -> dict[str, dict[str, int]]:
    """The plan of a year, every kind and region in it (0 where nothing is planned)."""
    year_bounds(year)
    planned = {kind: dict.fromkeys(REGIONS, 0) for kind in KINDS}
    for row in session.scalars(select(MeetingPlan).where(MeetingPlan.year == year)):
        planned[row.kind][row.region] = row.planned
    return planned


def set_plan(session: Session, year: int, planned: Planned) -> None:
    """The year's plan becomes exactly this; kinds and regions left out plan nothing."""
    year_bounds(year)
    session.execute(delete(MeetingPlan).where(MeetingPlan.year == year))
    session.add_all(
        MeetingPlan(year=year, kind=kind, region=region, planned=number)
        for kind, regions in planned.items()
        for region, number in regions.items()
        if number
    )
    try:
        session.flush()
    except IntegrityError as error:  # someone else saved this year's plan at the same moment
        raise Conflict(
            f"The plan for {year} was changed at the same time; look at it again and save."
        ) from error


def plan_view(
    session: Session, year: int, now: datetime, target_group: Iterable[Municipality]
) -> PlanView:
    start, end = year_bounds(year)
    meetings = list(
        session.scalars(select(Meeting).where(Meeting.starts_at >= start, Meeting.starts_at < end))
    )
    people = session.execute(
        select(Registration.meeting_id, Registration.municipality_code, Registration.checked_in_at)
        .join(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
    ).all()
    present = Counter(person.meeting_id for person in people if person.checked_in_at is not None)
    states: dict[tuple[str, str], Counter[MeetingState]] = {}
    for meeting in meetings:
        state = meeting_state(
            cancelled=meeting.cancelled_at is not None,
            ends_at=meeting.ends_at,
            now=now,
            present=present[meeting.id],
        )
        states.setdefault((meeting.kind, meeting.region), Counter())[state] += 1
    planned = planned_in(session, year)
    kinds = []
    for kind in KINDS:
        regions = [
            Tally(region, planned[kind][region], states.get((kind, region), Counter()))
            for region in REGIONS
        ]
        kinds.append(
            KindTally(
                region=None,
                planned=sum(tally.planned for tally in regions),
                states=sum((tally.states for tally in regions), Counter()),
                kind=kind,
                regions=regions,
            )
        )
    group = {municipality.code: municipality for municipality in target_group}
    return PlanView(
        year=year,
        kinds=kinds,
        target_group=len(group),
        unreached=[group[code] for code in unreached(group, people)],
    )
