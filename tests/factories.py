"""Test data used by more than one test module."""

from __future__ import annotations

import uuid


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
