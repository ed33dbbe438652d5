"""What the composition root runs for the indicators besides its app and consumer: the
erasure of survey invitations' addresses."""

from __future__ import annotations

from datetime import datetime

from services.indicators import invitations
from shared.db import Database
from shared.settings import Settings


def erase_addresses(db: Database, settings: Settings, now: datetime) -> int:
    with db.transaction() as session:
        return invitations.erase_addresses(session, now)
