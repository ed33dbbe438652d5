"""What the composition root runs for the essay contest besides its app: the example contest."""

from __future__ import annotations

from datetime import date

from services.essay_contest.seed import seed
from shared.db import Database
from shared.settings import Settings


def seed_example(db: Database, settings: Settings, today: date) -> str:
    with db.transaction() as session:
        opened = seed(session, today)
    return "example essay contest added" if opened else "example essay contest already there"
