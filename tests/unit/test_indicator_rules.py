"""The rule table of evidence, as a pure function."""

from __future__ import annotations

from services.indicators.rules import evidence_from, withdraws
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED, REGISTERED


def data(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "municipality_code": "GM0363",
        "counts_for_participation": True,
        "guide_presented": False,
    }
    return {**base, **overrides}


def test_attendance_at_a_counting_meeting_is_participation() -> None:
    assert evidence_from(ATTENDED, data()) == ["participation"]
    assert evidence_from(ATTENDED, data(guide_presented=True)) == ["participation", "awareness"]
    assert evidence_from(ATTENDED, data(counts_for_participation=False)) == []


def test_no_municipality_or_other_events_give_nothing() -> None:
    assert evidence_from(ATTENDED, data(municipality_code=None)) == []
    assert evidence_from(REGISTERED, data()) == []
    assert withdraws(ATTENDANCE_REVOKED) and not withdraws(ATTENDED)


def test_a_revocation_names_what_its_attendance_gave() -> None:
    revoked = data(guide_presented=True)
    assert evidence_from(ATTENDANCE_REVOKED, revoked) == evidence_from(ATTENDED, revoked)
