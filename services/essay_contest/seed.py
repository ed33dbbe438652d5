"""An example contest, for a newcomer to try the essay pages: open from the start of
today (so it is open whenever it is seeded) for six weeks, results two weeks later, marked
as an example like the example meetings. It is for council members only, so every
municipality gets an example griffie address to confirm them: ``griffie@<name>.example``,
a domain reserved for examples, where no mail arrives."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.essay_contest import contests
from services.essay_contest.council import EXAMPLE_DOMAIN
from services.essay_contest.models import Contest, Griffie
from services.essay_contest.schemas import ContestIn
from shared.clock import AMSTERDAM
from shared.municipalities import Register

TITLE = "Voorbeeld: Raad voor Raad essaywedstrijd 2012"
QUESTION = (
    "Hoe ziet het lokale integratiebeleid van uw gemeente er over tien jaar uit, "
    "en wat kan de gemeenteraad daar vandaag al voor doen?"
)
RULES = (
    "Deelname staat open voor gemeenteraadsleden; de griffie van uw gemeente bevestigt dat u "
    "raadslid bent. U schrijft alleen of met ten hoogste twee "
    "collega-raadsleden. Een essay telt 800 tot 2.000 woorden. Tot de sluitingsdatum kunt u "
    "uw essay herzien of intrekken. Een jury beoordeelt de essays zonder de namen van de "
    "schrijvers te kennen. De winnaars presenteren hun essay op een Raad voor Raad-bijeenkomst."
)


def seed(session: Session, today: date) -> bool:
    """Adds the example contest once; False when it is already there."""
    if session.scalar(select(Contest.id).where(Contest.title == TITLE)) is not None:
        return False
    opens = datetime.combine(today, time(0, 0), AMSTERDAM)
    closes = datetime.combine(today + timedelta(weeks=6), time(23, 59), AMSTERDAM)
    publishes = datetime.combine(today + timedelta(weeks=8), time(12, 0), AMSTERDAM)
    data = ContestIn().load(
        {
            "title": TITLE,
            "question": QUESTION,
            "rules": RULES,
            "opens_at": opens.isoformat(),
            "closes_at": closes.isoformat(),
            "publishes_at": publishes.isoformat(),
            "requires_council_confirmation": True,
        }
    )
    contests.create_contest(session, data)
    return True


def example_address(name: str) -> str:
    """``griffie@s-gravenhage.example`` for "'s-Gravenhage": the name in plain letters."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"griffie@{re.sub(r'[^a-z0-9]+', '-', plain).strip('-')}{EXAMPLE_DOMAIN}"


def seed_griffies(session: Session, register: Register) -> int:
    """An example address for every municipality that has none; staff's addresses stay."""
    known = set(session.scalars(select(Griffie.municipality_code)))
    added = [
        Griffie(municipality_code=municipality.code, email=example_address(municipality.name))
        for municipality in register
        if municipality.code not in known
    ]
    session.add_all(added)
    return len(added)
