"""What the composition root runs for the guides besides the app: erasing the addresses
downloaders left, and the example guide."""

from __future__ import annotations

from datetime import date, datetime

from services.guide.addresses import erase_addresses, retention_days
from services.guide.files import guide_store
from services.guide.seed import seed
from shared.clock import utcnow
from shared.db import Database
from shared.settings import Settings


def erase(db: Database, settings: Settings, now: datetime) -> int:
    with db.transaction() as session:
        return erase_addresses(session, now, retention_days(settings))


def seed_example(db: Database, settings: Settings, today: date) -> str:
    with db.transaction() as session:
        added = seed(session, guide_store(settings), utcnow())
    return "example guide added" if added else "example guide already there"
