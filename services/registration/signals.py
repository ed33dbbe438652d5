"""Signals raised at a meeting, and the ministry's answer to them.

The 2008-2011 evaluation heard that municipalities never learned what the ministry did
with the signals they raised. So answering one mails the answer to everyone from a
municipality who was at the meeting, and publishes it, without names of people, for the
page where the praktijkteam's signals are shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.domain import Status
from services.registration.meetings import get_meeting
from services.registration.models import (
    MailQueue,
    Meeting,
    MeetingSignal,
    Registration,
    SignalRecipient,
)
from shared.clock import AMSTERDAM
from shared.events.catalogue import SIGNAL_ANSWERED
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.problems import Conflict, NotFound

# The mail with an answer; it names a SignalRecipient, not a registration.
ANSWER_MAIL = "signal_answered"


def why_no_signals(meeting: Meeting, now: datetime) -> str | None:
    """Signals are raised at a meeting, so one is recorded only once it has begun."""
    if meeting.cancelled_at is not None:
        return "This meeting was cancelled; no signals were raised at it."
    if now < meeting.starts_at:
        return "Signals can be recorded once the meeting has started."
    return None


@dataclass(frozen=True)
class Audience:
    """The people who were at a meeting (checked in) for a municipality; not who registered
    and stayed away. The answers go to those of them with an address."""

    present: list[Registration]

    @property
    def mailed(self) -> list[Registration]:
        return [person for person in self.present if person.email]

    @property
    def municipality_codes(self) -> list[str]:
        """The municipalities that attended."""
        return sorted(
            {person.municipality_code for person in self.present if person.municipality_code}
        )


@dataclass(frozen=True)
class Signals:
    """A meeting, the signals raised at it, and who hears the answers."""

    meeting: Meeting
    signals: list[MeetingSignal]
    audience: Audience


@dataclass(frozen=True)
class Answering:
    """One signal, the meeting it was raised at, and who its answer goes (or went) to."""

    signal: MeetingSignal
    meeting: Meeting
    audience: Audience


def audience(session: Session, meeting_id: str) -> Audience:
    return Audience(
        list(
            session.scalars(
                select(Registration)
                .where(
                    Registration.meeting_id == meeting_id,
                    Registration.status == Status.CONFIRMED,
                    Registration.checked_in_at.is_not(None),
                    Registration.municipality_code.is_not(None),
                )
                .order_by(Registration.arrival)
            )
        )
    )


def _in_order(session: Session, meeting_id: str) -> list[MeetingSignal]:
    return list(
        session.scalars(
            select(MeetingSignal)
            .where(MeetingSignal.meeting_id == meeting_id)
            .order_by(MeetingSignal.recorded_at, MeetingSignal.id)
        )
    )


def signals_of(session: Session, meeting_id: str) -> list[MeetingSignal]:
    """The signals of a meeting, in the order they were recorded."""
    return _in_order(session, get_meeting(session, meeting_id).id)


def signals_at(session: Session, meeting_id: str) -> Signals:
    meeting = get_meeting(session, meeting_id)
    return Signals(meeting, _in_order(session, meeting.id), audience(session, meeting.id))


def get_signal(session: Session, signal_id: str, *, lock: bool = False) -> MeetingSignal:
    query = select(MeetingSignal).where(MeetingSignal.id == signal_id)
    signal = session.scalar(query.with_for_update() if lock else query)
    if signal is None:
        raise NotFound(f"There is no signal {signal_id}.")
    return signal


def answering(session: Session, signal_id: str) -> Answering:
    signal = get_signal(session, signal_id)
    return Answering(signal, signal.meeting, audience(session, signal.meeting_id))


def record_signal(
    session: Session, meeting_id: str, data: dict[str, Any], now: datetime
) -> MeetingSignal:
    meeting = get_meeting(session, meeting_id)
    reason = why_no_signals(meeting, now)
    if reason:
        raise Conflict(reason)
    signal = MeetingSignal(
        meeting_id=meeting.id, meeting=meeting, recorded_at=now, recipients=[], **data
    )
    session.add(signal)
    session.flush()
    return signal


def answer_signal(
    session: Session,
    recorder: EventRecorder,
    signal_id: str,
    data: dict[str, Any],
    now: datetime,
) -> MeetingSignal:
    """The answer, mailed to the meeting's audience and published, in one transaction.

    The signal's row lock makes a second answer at the same time wait, then find it
    answered: nobody is mailed twice.
    """
    signal = get_signal(session, signal_id, lock=True)
    if signal.answered_at is not None:
        raise Conflict("This signal has already been answered.")
    signal.answer = data["answer"]
    signal.answered_at = now
    for person in audience(session, signal.meeting_id).mailed:
        recipient = SignalRecipient(id=str(uuid.uuid4()), signal=signal, registration=person)
        session.add(recipient)
        queue_mail(session, MailQueue, ANSWER_MAIL, recipient.id)
    meeting = signal.meeting
    recorder.record(
        session,
        SIGNAL_ANSWERED,
        subject=f"signal/{signal.id}",
        data={
            "signal_id": signal.id,
            "meeting_id": meeting.id,
            "kind": meeting.kind,
            "region": meeting.region,
            "held_on": meeting.starts_at.astimezone(AMSTERDAM).date(),
            "themes": signal.themes,
            "municipality_codes": signal.municipality_codes,
            "text": signal.text,
            "answer": signal.answer,
            "answered_at": now,
        },
    )
    return signal
