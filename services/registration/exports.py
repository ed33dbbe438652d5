"""Lists staff keep in their own records: attendance and registrations as CSV."""

from __future__ import annotations

import csv
import io

from flask import Response

from services.registration.domain import waitlist_positions
from services.registration.models import Meeting, Registration
from shared.municipalities import Register

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


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def attendance_csv(present: list[Registration], register: Register) -> str:
    return _csv(
        [*COLUMNS, "binnen", "walk-in"],
        [
            [
                *_person(r, register),
                r.checked_in_at.isoformat() if r.checked_in_at else "",
                "ja" if r.walk_in else "nee",
            ]
            for r in present
        ],
    )


def registrations_csv(in_arrival_order: list[Registration], register: Register) -> str:
    positions = waitlist_positions(in_arrival_order)
    return _csv(
        [*COLUMNS, "status", "wachtlijstplaats", "aangemeld", "binnen"],
        [
            [
                *_person(r, register),
                r.status,
                str(positions.get(r.id, "")),
                r.created_at.isoformat(),
                r.checked_in_at.isoformat() if r.checked_in_at else "",
            ]
            for r in in_arrival_order
        ],
    )


def download(body: str, meeting: Meeting, what: str) -> Response:
    """A CSV file named after what it lists, the meeting's date and id."""
    name = f"{what}-{meeting.starts_at:%Y-%m-%d}-{meeting.id[:8]}.csv"
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
