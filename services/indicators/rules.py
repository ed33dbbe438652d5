"""Which event is evidence for which indicator, and why: the one rule table.

- attended, at a meeting that counts: participation (the attendance list is
  what counted in 2008-2011, evaluation Table 4);
- attended, where the guide was presented: awareness (everyone there saw it);
- attendance revoked: withdraws what the attendance gave (an undone check-in
  was never attendance).
"""

from __future__ import annotations

from typing import Any

from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED

INDICATORS: dict[str, float] = {"awareness": 0.85, "use": 0.35, "participation": 0.45}


def evidence_from(event_type: str, data: dict[str, Any]) -> list[str]:
    """The indicators an event gives evidence for (empty when it gives none)."""
    if event_type != ATTENDED or not data.get("municipality_code"):
        return []
    given = []
    if data["counts_for_participation"]:
        given.append("participation")
    if data["guide_presented"]:
        given.append("awareness")
    return given


def withdraws(event_type: str) -> bool:
    return event_type == ATTENDANCE_REVOKED
