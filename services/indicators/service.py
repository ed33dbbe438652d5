"""Use cases of the indicators service: reading the figures, answering the survey, feed tokens.

Each runs in the caller's transaction; the figures are read from the tallies
the projection keeps, never recounted from events.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.evidence import Projector
from services.indicators.figures import (
    ALL,
    OUTSIDE,
    TARGET_GROUP,
    TOTAL,
    Counts,
    Figure,
    figures,
    groups,
    population,
)
from services.indicators.invitations import forget_addresses
from services.indicators.models import (
    Coverage,
    Evidence,
    FeedToken,
    FigureChange,
    ReceivedEvent,
    SurveyAnswer,
    SurveyCount,
    Tally,
)
from services.indicators.rules import ACTIVITY, INDICATORS
from shared.clock import AMSTERDAM, utcnow
from shared.db import dialect_insert
from shared.events.catalogue import SURVEY_ANSWERED
from shared.events.consumer import take_in
from shared.events.envelope import new_event
from shared.municipalities import Municipality, Register
from shared.problems import NotFound

# The programme's first day: the letter to parliament of 7 June 2012.
PROGRAMME_START = date(2012, 6, 7)


def counts(session: Session) -> Counts:
    rows = session.execute(
        select(
            Tally.indicator,
            Tally.scope,
            Tally.dimension,
            Tally.grouping,
            Tally.covered,
            Tally.newest_event_at,
        )
    )
    return {(row[0], row[1], row[2], row[3]): (row[4], row[5]) for row in rows}


@dataclass(frozen=True)
class Overview:
    """The figures of one scope, per group when asked, and the outsiders apart."""

    scope: str
    group_by: str | None
    figures: list[Figure]
    groups: list[tuple[str, list[Figure]]]
    outside: list[Figure]
    activity: Figure


def overview(session: Session, register: Register, scope: str, group_by: str | None) -> Overview:
    found, sizes = counts(session), population(register)
    per_group = [
        (name, figures(found, sizes, scope, group_by, name))
        for name in (groups(sizes, scope, group_by) if group_by else [])
    ]
    return Overview(
        scope=scope,
        group_by=group_by,
        figures=figures(found, sizes, scope),
        groups=per_group,
        outside=figures(found, sizes, OUTSIDE) if scope == TARGET_GROUP else [],
        activity=figures(found, sizes, ALL, indicators=[ACTIVITY])[0],
    )


def covered(session: Session, indicator: str) -> set[str]:
    query = select(Coverage.municipality_code).where(
        Coverage.indicator == indicator, Coverage.covered.is_(True)
    )
    return set(session.scalars(query))


def missing(session: Session, register: Register) -> dict[str, list[Municipality]]:
    """Per indicator, the target-group municipalities without evidence: whom to approach."""
    found = {indicator: covered(session, indicator) for indicator in INDICATORS}
    return {
        indicator: [m for m in register.target_group if m.code not in codes]
        for indicator, codes in found.items()
    }


@dataclass(frozen=True)
class Explained:
    """One piece of evidence with the events that gave and withdrew it."""

    indicator: str
    basis: str
    holds: bool
    given_at: datetime | None
    given_by: str | None
    given_type: str | None
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawn_type: str | None


def municipality(
    session: Session, register: Register, code: str
) -> tuple[Municipality, dict[str, bool], list[Explained]]:
    """A municipality, whether it counts for each indicator, and the evidence why."""
    found = register.get(code)
    if found is None:
        raise NotFound(f"There is no municipality {code!r} in the register.")
    rows = session.scalars(
        select(Evidence)
        .where(Evidence.municipality_code == found.code)
        .order_by(Evidence.indicator, Evidence.basis)
    ).all()
    ids = {row.given_by for row in rows} | {row.withdrawn_by for row in rows}
    events = select(ReceivedEvent.id, ReceivedEvent.type).where(ReceivedEvent.id.in_(ids - {None}))
    types = {event_id: kind for event_id, kind in session.execute(events)}
    evidence = [
        Explained(
            row.indicator,
            row.basis,
            row.counts,
            row.given_at,
            row.given_by,
            types.get(row.given_by or ""),
            row.withdrawn_at,
            row.withdrawn_by,
            types.get(row.withdrawn_by or ""),
        )
        for row in rows
    ]
    standing = {
        indicator: any(item.holds for item in evidence if item.indicator == indicator)
        for indicator in (*INDICATORS, ACTIVITY)
    }
    return found, standing, evidence


def event_of(session: Session, event_id: str) -> ReceivedEvent:
    found = session.get(ReceivedEvent, event_id)
    if found is None:
        raise NotFound(f"There is no event {event_id}.")
    return found


def recent_events(session: Session, limit: int = 20) -> list[ReceivedEvent]:
    return list(
        session.scalars(
            select(ReceivedEvent).order_by(ReceivedEvent.received_at.desc()).limit(limit)
        )
    )


# -- the survey -------------------------------------------------------------------------------


def answer_survey(
    session: Session, register: Register, source: str, code: str, answer: dict[str, Any]
) -> SurveyAnswer:
    """Keep the answer and take its event in as if it came from the broker.

    The event goes into this service's own inbox and through the one
    projection in the same transaction: it counts exactly as any other event,
    is never lost between answer and figure, and a rebuild replays it. The
    addresses its officials were invited at are no longer needed (``retention``).
    The answer is numbered, so of two answers of the same time the later counts.
    """
    found = register.get(code)
    if found is None:
        raise NotFound(f"There is no municipality {code!r} in the register.")
    answer_id, number = str(uuid.uuid4()), _next_answer_number(session, found.code)
    event = new_event(
        SURVEY_ANSWERED,
        source=source,
        subject=found.code,
        data={"answer_id": answer_id, "municipality_code": found.code, **answer, "number": number},
    )
    row = SurveyAnswer(
        id=answer_id,
        municipality_code=found.code,
        answered_at=event.time,
        knows_guide=answer["knows_guide"],
        read_guide=answer["read_guide"],
        uses=answer["uses"],
        other_use=answer.get("other_use"),
        event_id=event.id,
        number=number,
    )
    session.add(row)
    take_in(session, ReceivedEvent, Projector(register), [event])
    forget_addresses(session, found.code, event.time)
    return row


def _next_answer_number(session: Session, code: str) -> int:
    """One more than the municipality's answers so far; the row stays locked until commit,
    so an answer given at the same moment waits and gets the next number."""
    table = SurveyCount.__table__
    statement = dialect_insert(session, table).values(municipality_code=code, answers=1)
    upsert = statement.on_conflict_do_update(
        index_elements=["municipality_code"], set_={"answers": table.c.answers + 1}
    )
    return int(session.scalar(upsert.returning(table.c.answers)))


def latest_answer(session: Session, code: str) -> SurveyAnswer | None:
    return session.scalar(
        select(SurveyAnswer)
        .where(SurveyAnswer.municipality_code == code)
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.number.desc())
        .limit(1)
    )


# -- feed tokens --------------------------------------------------------------------------------


def create_feed_token(session: Session, subject: str, label: str) -> FeedToken:
    token = FeedToken(id=str(uuid.uuid4()), subject=subject, label=label, created_at=utcnow())
    session.add(token)
    return token


def feed_tokens(session: Session, subject: str) -> list[FeedToken]:
    return list(
        session.scalars(
            select(FeedToken).where(FeedToken.subject == subject).order_by(FeedToken.created_at)
        )
    )


def revoke_feed_token(session: Session, subject: str, token_id: str) -> FeedToken:
    """Staff revoke their own tokens; the signed id then opens nothing."""
    token = session.get(FeedToken, token_id)
    if token is None or token.subject != subject:
        raise NotFound("There is no such feed token of yours.")
    token.revoked_at = token.revoked_at or utcnow()
    return token


def feed_token_valid(session: Session, token_id: str) -> bool:
    token = session.get(FeedToken, token_id)
    return token is not None and token.revoked_at is None


# -- history -------------------------------------------------------------------------------------


def changes(session: Session, limit: int | None = None) -> list[FigureChange]:
    """The whole target group's figure moves, newest first (the feed's entries)."""
    query = (
        select(FigureChange)
        .where(FigureChange.region == "")
        .order_by(FigureChange.seq.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def daily_series(
    session: Session, register: Register, today: date, region: str = ""
) -> dict[str, list[tuple[date, float]]]:
    """Per indicator, the figure at the end of each day since the programme started.

    Days without a change carry the last figure forward.
    """
    sizes = population(register)
    dimension = "region" if region else TOTAL
    denominator = sizes[(TARGET_GROUP, dimension, region)]
    last: dict[tuple[str, date], int] = {}
    rows = session.execute(
        select(FigureChange.indicator, FigureChange.recorded_at, FigureChange.covered)
        .where(FigureChange.region == region)
        .order_by(FigureChange.seq)
    )
    for indicator, at, count in rows:
        last[(indicator, at.astimezone(AMSTERDAM).date())] = count
    start = min([PROGRAMME_START, *(day for _, day in last)])
    series: dict[str, list[tuple[date, float]]] = {}
    for indicator in INDICATORS:
        value, points = 0, []
        day = start
        while day <= today:
            value = last.get((indicator, day), value)
            points.append((day, value / denominator if denominator else 0.0))
            day += timedelta(days=1)
        series[indicator] = points
    return series
