"""An example contest, for a newcomer to try the essay pages: open from today for six
weeks, results two weeks later, marked as an example like the example meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.essay_contest import contests
from services.essay_contest.models import Contest
from services.essay_contest.schemas import ContestIn
from shared.clock import AMSTERDAM

TITLE = "Voorbeeld: Raad voor Raad essaywedstrijd 2012"
QUESTION = (
    "Hoe ziet het lokale integratiebeleid van uw gemeente er over tien jaar uit, "
    "en wat kan de gemeenteraad daar vandaag al voor doen?"
)
RULES = (
    "Deelname staat open voor gemeenteraadsleden. U schrijft alleen of met ten hoogste twee "
    "collega-raadsleden. Een essay telt 800 tot 2.000 woorden. Tot de sluitingsdatum kunt u "
    "uw essay herzien of intrekken. Een jury beoordeelt de essays zonder de namen van de "
    "schrijvers te kennen. De winnaars presenteren hun essay op een Raad voor Raad-bijeenkomst."
)


def seed(session: Session, today: date) -> bool:
    """Adds the example contest once; False when it is already there."""
    if session.scalar(select(Contest.id).where(Contest.title == TITLE)) is not None:
        return False
    opens = datetime.combine(today, time(9, 0), AMSTERDAM)
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
        }
    )
    contests.create_contest(session, data)
    return True
