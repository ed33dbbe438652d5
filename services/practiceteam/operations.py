"""What the composition root runs for the praktijkteam besides its app: the erasure pass."""

from __future__ import annotations

from datetime import datetime

from services.practiceteam.erasure import erase_due
from shared.db import Database
from shared.documents import DocumentStore
from shared.settings import Settings


def erase(db: Database, settings: Settings, now: datetime) -> int:
    store = DocumentStore.from_settings(settings)
    return erase_due(db, store, now, settings.practiceteam_retention_days)
