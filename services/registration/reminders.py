"""The reminder the day before, to each person with a seat, once.

Reminders are marked in one transaction and sent after it committed, so a
person is never reminded twice; a mail that fails is logged by the mailer and
not retried, as a late reminder is worse than none.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.registration import mails, service
from shared.db import Database
from shared.mail import Mailer
from shared.settings import Settings


def send_reminders(settings: Settings, ahead: timedelta, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    db = Database.for_service(settings, "registration")
    try:
        with db.transaction() as session:
            due = service.due_reminders(session, now, ahead)
            messages = [mails.reminder(settings, r.meeting, r) for r in due]
            for registration in due:
                registration.reminded_at = now
    finally:
        db.dispose()
    mailer = Mailer(settings)
    return mailer.send_all(messages)
