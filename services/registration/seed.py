"""Example meetings in the shape of the 2012 programme, for a newcomer to try the system.

15 regional GIA meetings (two per region, one in Zeeland) and 3 Raad voor Raad
meetings, spread over the months after the day it runs so registration is
open. Every title starts with EXAMPLE, so nobody takes them for the real ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.meetings import create_meeting
from services.registration.models import Meeting
from shared.clock import AMSTERDAM
from shared.events.outbox import EventRecorder

EXAMPLE = "Voorbeeld: "

# The places per region the meetings rotate through: (venue, address).
VENUES: dict[str, list[tuple[str, str]]] = {
    "Noorden": [
        ("Stadhuis Groningen", "Grote Markt 1, Groningen"),
        ("Provinciehuis Assen", "Westerbrink 1, Assen"),
    ],
    "Oosten": [
        ("Stadhuis Enschede", "Langestraat 24, Enschede"),
        ("Stadhuis Arnhem", "Koningstraat 38, Arnhem"),
    ],
    "Flevoland-Utrecht": [
        ("Stadskantoor Utrecht", "Stadsplateau 1, Utrecht"),
        ("Stadhuis Almere", "Stadhuisplein 1, Almere"),
    ],
    "Noord-Brabant": [
        ("Stadhuis Eindhoven", "Stadhuisplein 1, Eindhoven"),
        ("Stadskantoor Tilburg", "Stadhuisplein 130, Tilburg"),
    ],
    "Noord-Holland": [
        ("Stadhuis Amsterdam", "Amstel 1, Amsterdam"),
        ("Stadhuis Haarlem", "Grote Markt 2, Haarlem"),
    ],
    "Zuid-Holland": [
        ("Stadhuis Rotterdam", "Coolsingel 40, Rotterdam"),
        ("Stadhuis Den Haag", "Spui 70, Den Haag"),
    ],
    "Limburg": [
        ("Stadhuis Maastricht", "Markt 78, Maastricht"),
        ("Stadhuis Venlo", "Hanzeplaats 1, Venlo"),
    ],
    "Zeeland": [("Stadhuis Middelburg", "Markt 1, Middelburg")],
}
THEME_ROTATION: list[list[str]] = [
    ["social_tensions", "citizenship"],
    ["taboo_subjects", "discrimination"],
    ["eu_labour_migrants", "labour_market"],
    ["civic_integration_act", "education"],
]
RAAD_VOOR_RAAD_REGIONS = ("Noorden", "Noord-Holland", "Noord-Brabant")


def _afternoon(day: date) -> tuple[datetime, datetime, datetime]:
    """Starts 13:30, ends 17:00, registration closes two days before at 23:59 (Amsterdam)."""
    starts = datetime.combine(day, time(13, 30), AMSTERDAM)
    ends = datetime.combine(day, time(17, 0), AMSTERDAM)
    deadline = datetime.combine(day - timedelta(days=2), time(23, 59), AMSTERDAM)
    return starts, ends, deadline


def _weekday_after(start: date, days: int) -> date:
    day = start + timedelta(days=days)
    while day.weekday() >= 5:  # meetings are on working days
        day += timedelta(days=1)
    return day


def example_meetings(today: date) -> list[dict[str, Any]]:
    """The meetings' fields, as MeetingIn would load them."""
    meetings: list[dict[str, Any]] = []
    places = [(region, *place) for region, options in VENUES.items() for place in options]
    for number, (region, venue, address) in enumerate(places):
        starts, ends, deadline = _afternoon(_weekday_after(today, 21 + number * 9))
        meetings.append(
            {
                "kind": "gia",
                "title": f"{EXAMPLE}GIA-regiobijeenkomst {region}",
                "region": region,
                "venue": venue,
                "address": address,
                "starts_at": starts,
                "ends_at": ends,
                "capacity": 60,
                "registration_deadline": deadline,
                "themes": THEME_ROTATION[number % len(THEME_ROTATION)],
                "counts_for_participation": True,
                "guide_presented": number % 2 == 0,
            }
        )
    for number, region in enumerate(RAAD_VOOR_RAAD_REGIONS):
        venue, address = VENUES[region][0]
        starts, ends, deadline = _afternoon(_weekday_after(today, 45 + number * 40))
        meetings.append(
            {
                "kind": "raad_voor_raad",
                "title": f"{EXAMPLE}Raad voor Raad {region}",
                "region": region,
                "venue": venue,
                "address": address,
                "starts_at": starts,
                "ends_at": ends,
                "capacity": 40,
                "registration_deadline": deadline,
                "themes": ["citizenship", "social_tensions"],
                "counts_for_participation": True,
                "guide_presented": True,
            }
        )
    return meetings


def seed(session: Session, recorder: EventRecorder, today: date) -> int:
    """Add the example meetings unless they are there already; returns how many were added."""
    present = session.scalar(select(Meeting.id).where(Meeting.title.startswith(EXAMPLE)).limit(1))
    if present is not None:
        return 0
    meetings = example_meetings(today)
    for data in meetings:
        create_meeting(session, recorder, data)
    return len(meetings)
