"""Test data used by more than one test module."""

from __future__ import annotations

import uuid

MEETING = {
    "kind": "gia",
    "title": "Regiobijeenkomst Limburg",
    "region": "Limburg",
    "venue": "Maastricht",
    "starts_at": "2030-10-10T10:00:00+02:00",
    "ends_at": "2030-10-10T13:00:00+02:00",
    "capacity": 1,
    "registration_deadline": "2030-10-09T12:00:00+02:00",
    "themes": ["discrimination"],
}
# Rotterdam: in the target group of the shipped register.
PERSON = {
    "name": "An de Vries",
    "email": "an@example.nl",
    "role": "official",
    "municipality_code": "GM0599",
}


def attendance_data(**overrides: object) -> dict[str, object]:
    """The data of an attended event, fresh ids each time."""
    data: dict[str, object] = {
        "registration_id": str(uuid.uuid4()),
        "meeting_id": str(uuid.uuid4()),
        "municipality_code": "GM0363",
        "role": "official",
        "counts_for_participation": True,
        "guide_presented": False,
    }
    data.update(overrides)
    return data
