"""What the composition root runs for registration besides its app: the reminders' pass
and the example meetings."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from services.registration.models import Outbox
from services.registration.reminders import queue_reminders
from services.registration.seed import seed
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.settings import Settings

REMIND_AHEAD = timedelta(hours=24)


def remind(db: Database, settings: Settings, now: datetime) -> int:
    with db.transaction() as session:
        return queue_reminders(session, now, REMIND_AHEAD)


def seed_examples(db: Database, settings: Settings, today: date) -> str:
    recorder = EventRecorder(Outbox, settings.event_source("registration"))
    with db.transaction() as session:
        added = seed(session, recorder, today)
    return f"{added} example meetings added" if added else "example meetings already there"
