"""The rule table of evidence, as a pure function."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from services.indicators.rules import Effect, effects, survey_gives
from shared.events.catalogue import (
    ATTENDANCE_REVOKED,
    ATTENDED,
    ESSAY_SUBMITTED,
    ESSAY_WITHDRAWN,
    GUIDE_DOWNLOADED,
    PRACTICETEAM_EVENTS,
    REGISTERED,
    SURVEY_ANSWERED,
)
from shared.events.envelope import Event

REGISTRATION = "00000000-0000-4000-8000-000000000001"


def event(kind: str, **data: Any) -> Event:
    return Event(str(uuid.uuid4()), kind, "urn:test", "s", datetime(2012, 9, 1, tzinfo=UTC), data)


def attendance(kind: str = ATTENDED, **overrides: object) -> Event:
    base: dict[str, object] = {
        "registration_id": REGISTRATION,
        "municipality_code": "GM0363",
        "counts_for_participation": True,
        "guide_presented": False,
    }
    return event(kind, **{**base, **overrides})


def given(found: list[Effect]) -> dict[str, bool]:
    return {effect.indicator: effect.gives for effect in found}


def test_attendance_at_a_counting_meeting_is_participation() -> None:
    assert given(effects(attendance())) == {"participation": True}
    assert given(effects(attendance(guide_presented=True))) == {
        "participation": True,
        "awareness": True,
    }
    assert effects(attendance(counts_for_participation=False)) == []


def test_a_revocation_withdraws_what_its_attendance_gave_on_the_same_basis() -> None:
    gave = effects(attendance(guide_presented=True))
    took = effects(attendance(ATTENDANCE_REVOKED, guide_presented=True))
    assert [(e.indicator, e.basis) for e in gave] == [(e.indicator, e.basis) for e in took]
    assert all(e.gives for e in gave) and not any(e.gives for e in took)


def test_no_municipality_or_other_events_give_nothing() -> None:
    assert effects(attendance(municipality_code=None)) == []
    assert effects(event(REGISTERED, municipality_code="GM0363")) == []


def test_survey_answers_give_or_withdraw_awareness_and_use_on_one_basis() -> None:
    assert survey_gives(True, False, []) == {"awareness": True, "use": False}
    assert survey_gives(False, True, []) == {"awareness": True, "use": False}
    assert survey_gives(False, False, ["policy"]) == {"awareness": True, "use": True}
    assert survey_gives(True, True, ["planned"]) == {"awareness": True, "use": False}
    assert survey_gives(False, False, []) == {"awareness": False, "use": False}
    answer = event(
        SURVEY_ANSWERED, municipality_code="GM0599", knows_guide=True, read_guide=False, uses=[]
    )
    assert {(e.basis, e.gives) for e in effects(answer)} == {
        ("survey:GM0599", True),
        ("survey:GM0599", False),
    }


def test_practiceteam_requests_are_activity_of_each_municipality() -> None:
    request = {"request_id": "r1", "municipality_codes": ["GM0599", "GM0363"]}
    submitted = effects(event(PRACTICETEAM_EVENTS["submitted"], **request))
    assert {(e.indicator, e.municipality_code, e.gives) for e in submitted} == {
        ("activity", "GM0599", True),
        ("activity", "GM0363", True),
    }
    declined = effects(event(PRACTICETEAM_EVENTS["declined"], **request))
    assert not any(e.gives for e in declined)
    assert {e.basis for e in declined} == {e.basis for e in submitted}


def test_an_essay_is_activity_of_its_authors_municipalities_until_withdrawn() -> None:
    entry = {"entry_id": "e1", "municipality_codes": ["GM0599", "GM0606"], "revision": 1}
    submitted = effects(event(ESSAY_SUBMITTED, **entry))
    assert {(e.indicator, e.municipality_code, e.gives) for e in submitted} == {
        ("activity", "GM0599", True),
        ("activity", "GM0606", True),
    }
    withdrawn = effects(event(ESSAY_WITHDRAWN, **entry))
    assert not any(e.gives for e in withdrawn)
    assert {e.basis for e in withdrawn} == {e.basis for e in submitted}
    request = effects(event(PRACTICETEAM_EVENTS["submitted"], request_id="e1", **entry))
    assert not {e.basis for e in request} & {e.basis for e in submitted}


def test_a_guide_download_is_awareness_of_the_municipality_per_guide() -> None:
    download = {
        "guide_id": "g1",
        "municipality_code": "GM0599",
        "edition": 1,
        "toolbox_item_id": None,
        "counts_for_awareness": True,
    }
    first = effects(event(GUIDE_DOWNLOADED, **download))
    assert [(e.indicator, e.basis, e.municipality_code, e.gives) for e in first] == [
        ("awareness", "guide:g1:GM0599", "GM0599", True)
    ]
    # One piece of evidence per guide and municipality, renewed by every download.
    assert effects(event(GUIDE_DOWNLOADED, **download)) == first
    tool = effects(
        event(GUIDE_DOWNLOADED, **{**download, "edition": None, "toolbox_item_id": "t1"})
    )
    assert tool == first
    assert effects(event(GUIDE_DOWNLOADED, **{**download, "counts_for_awareness": False})) == []
