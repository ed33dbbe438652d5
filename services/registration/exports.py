"""Lists staff keep in their own records: attendance and registrations as CSV."""

from __future__ import annotations

from flask import Response

from services.registration.domain import waitlist_positions
from services.registration.models import Meeting, Registration
from services.registration.registrations import Roll
from shared import spreadsheet
from shared.municipalities import Register
from shared.spreadsheet import csv_text

COLUMNS = ["naam", "e-mail", "rol", "gemeentecode", "gemeente", "organisatie"]


def _person(registration: Registration, register: Register) -> list[str]:
    code = registration.municipality_code
    municipality = register.get(code) if code else None
    return [
        registration.name or "",
        registration.email or "",
        registration.role,
        code or "",
        municipality.name if municipality else "",
        registration.organisation or "",
    ]


def attendance(roll: Roll, register: Register) -> Response:
    body = csv_text(
        [*COLUMNS, "binnen", "walk-in"],
        [
            [
                *_person(r, register),
                r.checked_in_at.isoformat() if r.checked_in_at else "",
                "ja" if r.walk_in else "nee",
            ]
            for r in roll.present
        ],
    )
    return _download(body, roll.meeting, "aanwezigheid")


def registrations(roll: Roll, register: Register) -> Response:
    positions = waitlist_positions(roll.everyone)
    body = csv_text(
        [*COLUMNS, "status", "wachtlijstplaats", "aangemeld", "binnen"],
        [
            [
                *_person(r, register),
                r.status,
                str(positions.get(r.id, "")),
                r.created_at.isoformat(),
                r.checked_in_at.isoformat() if r.checked_in_at else "",
            ]
            for r in roll.everyone
        ],
    )
    return _download(body, roll.meeting, "inschrijvingen")


def _download(body: str, meeting: Meeting, what: str) -> Response:
    """A CSV file named after what it lists, the meeting's date and id."""
    return spreadsheet.download(body, f"{what}-{meeting.starts_at:%Y-%m-%d}-{meeting.id[:8]}.csv")
