"""The municipalities' answers to the monitor survey: kept, numbered, and taken in as events.

An answer is evidence like any other: its event goes through the same inbox
and projection as the broker's, so it counts exactly once and a rebuild
replays it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators import appreciation
from services.indicators.evidence import Projector
from services.indicators.invitations import forget_addresses
from services.indicators.models import ReceivedEvent, SurveyAnswer, SurveyCount
from shared.db import dialect_insert
from shared.events.catalogue import SURVEY_ANSWERED
from shared.events.consumer import take_in
from shared.events.envelope import new_event
from shared.municipalities import Register
from shared.problems import NotFound


def answer_survey(
    session: Session, register: Register, source: str, code: str, answer: dict[str, Any]
) -> SurveyAnswer:
    """Keep the answer and take its event in as if it came from the broker.

    The event goes into this service's own inbox and through the one
    projection in the same transaction: it counts exactly as any other event,
    is never lost between answer and figure, and a rebuild replays it. What the
    evaluation also asked (``appreciation``) is opinion, not evidence: it is kept
    with the answer and stays out of the event, which carries what the figures
    rest on. The addresses its officials were invited at are no longer needed
    (``retention``).
    The answer is numbered, so of two answers of the same time the later counts.
    """
    found = register.get(code)
    if found is None:
        raise NotFound(f"There is no municipality {code!r} in the register.")
    answer_id, number = str(uuid.uuid4()), _next_answer_number(session, found.code)
    evidence = {key: value for key, value in answer.items() if key not in appreciation.FIELDS}
    event = new_event(
        SURVEY_ANSWERED,
        source=source,
        subject=found.code,
        data={
            "answer_id": answer_id,
            "municipality_code": found.code,
            **evidence,
            "number": number,
        },
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
        **{field: answer.get(field) for field in appreciation.FIELDS},
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
