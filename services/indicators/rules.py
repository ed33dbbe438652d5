"""Which event is evidence for which indicator, and why: the one rule table.

- attended, at a meeting that counts: participation (the attendance list is
  what counted in 2008-2011, evaluation Table 4);
- attended, where the guide was presented: awareness (everyone there saw it);
- attendance revoked: withdraws what that attendance gave (an undone check-in
  was never attendance); it names the same indicators, so a revocation that
  arrives before its attendance still cancels it.
"""

from __future__ import annotations

from typing import Any

from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED

INDICATORS: dict[str, float] = {"awareness": 0.85, "use": 0.35, "participation": 0.45}

ATTENDANCE = (ATTENDED, ATTENDANCE_REVOKED)


def evidence_from(event_type: str, data: dict[str, Any]) -> list[str]:
    """The indicators an event gives (or withdraws) evidence for; empty when none."""
    if event_type not in ATTENDANCE or not data.get("municipality_code"):
        return []
    given = []
    if data["counts_for_participation"]:
        given.append("participation")
    if data["guide_presented"]:
        given.append("awareness")
    return given


def basis_of(data: dict[str, Any]) -> str:
    """What a piece of evidence rests on: one attendance is one registration."""
    return f"registration:{data['registration_id']}"


def withdraws(event_type: str) -> bool:
    return event_type == ATTENDANCE_REVOKED
