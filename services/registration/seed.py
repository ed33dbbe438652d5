"""Example meetings in the shape of the 2012 programme, for a newcomer to try the system.

15 regional GIA meetings (two per region, one in Zeeland) and 3 Raad voor Raad
meetings, spread over the months after the day it runs so registration is
open, each with its organiser and host municipality, and the plan they follow.
Every title starts with EXAMPLE, so nobody takes them for the real ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.registration.meetings import create_meeting
from services.registration.models import Meeting, MeetingPlan
from services.registration.plan import set_plan
from shared.clock import AMSTERDAM
from shared.events.outbox import EventRecorder

EXAMPLE = "Voorbeeld: "

# The places per region the meetings rotate through: (venue, address, host municipality).
VENUES: dict[str, list[tuple[str, str, str]]] = {
    "Noorden": [
        ("Stadhuis Groningen", "Grote Markt 1, Groningen", "GM0014"),
        ("Provinciehuis Assen", "Westerbrink 1, Assen", "GM0106"),
    ],
    "Oosten": [
        ("Stadhuis Enschede", "Langestraat 24, Enschede", "GM0153"),
        ("Stadhuis Arnhem", "Koningstraat 38, Arnhem", "GM0202"),
    ],
    "Flevoland-Utrecht": [
        ("Stadskantoor Utrecht", "Stadsplateau 1, Utrecht", "GM0344"),
        ("Stadhuis Almere", "Stadhuisplein 1, Almere", "GM0034"),
    ],
    "Noord-Brabant": [
        ("Stadhuis Eindhoven", "Stadhuisplein 1, Eindhoven", "GM0772"),
        ("Stadskantoor Tilburg", "Stadhuisplein 130, Tilburg", "GM0855"),
    ],
    "Noord-Holland": [
        ("Stadhuis Amsterdam", "Amstel 1, Amsterdam", "GM0363"),
        ("Stadhuis Haarlem", "Grote Markt 2, Haarlem", "GM0392"),
    ],
    "Zuid-Holland": [
        ("Stadhuis Rotterdam", "Coolsingel 40, Rotterdam", "GM0599"),
        ("Stadhuis Den Haag", "Spui 70, Den Haag", "GM0518"),
    ],
    "Limburg": [
        ("Stadhuis Maastricht", "Markt 78, Maastricht", "GM0935"),
        ("Stadhuis Venlo", "Hanzeplaats 1, Venlo", "GM0983"),
    ],
    "Zeeland": [("Stadhuis Middelburg", "Markt 1, Middelburg", "GM0687")],
}
# The 2012 letter: the regional CMOs organise the GIA meetings, the ministry Raad voor Raad.
MINISTRY = "Ministerie van BZK"
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
    for number, (region, venue, address, host) in enumerate(places):
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
                "organiser": f"CMO {region}",
                "host_municipality_code": host,
            }
        )
    for number, region in enumerate(RAAD_VOOR_RAAD_REGIONS):
        venue, address, host = VENUES[region][0]
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
                "organiser": MINISTRY,
                "host_municipality_code": host,
            }
        )
    return meetings


def example_plan(meetings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """The plan the examples follow: the letter's 15 GIA and 3 Raad voor Raad meetings."""
    planned: dict[str, dict[str, int]] = {}
    for meeting in meetings:
        regions = planned.setdefault(meeting["kind"], {})
        regions[meeting["region"]] = regions.get(meeting["region"], 0) + 1
    return planned


def seed(session: Session, recorder: EventRecorder, today: date) -> int:
    """Add the example meetings unless they are there already; returns how many were added.

    The year they start in gets their plan too, unless staff have set one already."""
    present = session.scalar(select(Meeting.id).where(Meeting.title.startswith(EXAMPLE)).limit(1))
    if present is not None:
        return 0
    meetings = example_meetings(today)
    for data in meetings:
        create_meeting(session, recorder, data)
    if (
        session.scalar(select(MeetingPlan.year).where(MeetingPlan.year == today.year).limit(1))
        is None
    ):
        set_plan(session, today.year, example_plan(meetings))
    return len(meetings)
