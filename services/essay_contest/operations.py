"""What the composition root runs for the essay contest besides its app: the example contest
and the example griffie addresses."""

from __future__ import annotations

from datetime import date

from services.essay_contest.seed import seed, seed_griffies
from shared.db import Database
from shared.municipalities import load_register
from shared.settings import Settings


def seed_example(db: Database, settings: Settings, today: date) -> str:
    with db.transaction() as session:
        opened = seed(session, today)
        addresses = seed_griffies(session, load_register(settings.municipalities_file))
    contest = "example essay contest added" if opened else "example essay contest already there"
    return f"{contest}; {addresses} example griffie address(es) added"
