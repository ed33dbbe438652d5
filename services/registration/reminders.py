"""Reminders before a meeting, queued by a scheduled run."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.domain import Notice, Status
from services.registration.models import Meeting, Registration
from services.registration.news import tell


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
    tell(session, Notice.REMINDER, due)
    return len(due)
