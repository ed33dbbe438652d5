"""What a use case lets others know about registrations: mail to the people concerned, queued
in its transaction, and events for the other services, recorded in the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from services.registration.domain import Notice
from services.registration.models import MailQueue, Registration
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail


def tell(session: Session, notice: Notice, registrations: list[Registration]) -> None:
    """Queue the mails in this transaction; the mail worker sends them after it committed."""
    for registration in registrations:
        queue_mail(session, MailQueue, notice, registration.id)


def registration_event(
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


def status_event(session: Session, recorder: EventRecorder, kind: str, r: Registration) -> None:
    registration_event(session, recorder, kind, r, status=r.status)
