"""Evidence in words: every kind of basis the rule table gives becomes one Dutch sentence."""

from __future__ import annotations

from datetime import UTC, datetime

from services.indicators.wording import EVENTS, describe
from shared.events.catalogue import (
    ATTENDED,
    CATALOGUE,
    ESSAY_SUBMITTED,
    ESSAY_WITHDRAWN,
    GUIDE_DOWNLOADED,
    PRACTICETEAM_EVENTS,
    SURVEY_ANSWERED,
)

NAMES = {"GM0513": "Gouda", "GM0503": "Delft", "GM0599": "Rotterdam"}
# 23:30 UTC on 11 March is 12 March in the Netherlands.
AT = datetime(2012, 3, 11, 23, 30, tzinfo=UTC)
REQUEST = "practiceteam:2b1f0e2a-7d5c-4b8e-9c41-3f0b7a1d2e55:GM0513"


def test_a_praktijkteam_request_names_its_municipalities_its_step_and_its_day() -> None:
    data = {"municipality_codes": ["GM0513", "GM0503"]}
    submitted = describe(REQUEST, PRACTICETEAM_EVENTS["submitted"], data, AT, NAMES)
    assert submitted == "Praktijkteamaanvraag van Gouda en Delft, ingediend op 12 maart 2012"
    declined = describe(REQUEST, PRACTICETEAM_EVENTS["declined"], {}, AT, NAMES)
    assert declined == "Praktijkteamaanvraag van Gouda, afgewezen op 12 maart 2012"


def test_an_attendance_names_its_meeting_where_known() -> None:
    basis = "registration:6f0c"
    meeting = {"kind": "gia", "region": "Zuid-Holland", "starts_at": "2012-09-20T14:00:00+02:00"}
    assert (
        describe(basis, ATTENDED, {"meeting_id": "m"}, AT, NAMES, meeting)
        == "Aanwezig bij de GIA-bijeenkomst in regio Zuid-Holland op 20 september 2012"
    )
    assert (
        describe(basis, ATTENDED, {}, AT, NAMES) == "Aanwezig bij een bijeenkomst op 12 maart 2012"
    )


def test_survey_essay_and_guide_in_words() -> None:
    assert (
        describe("survey:GM0513", SURVEY_ANSWERED, {}, AT, NAMES)
        == "Antwoord op de monitor-enquête van 12 maart 2012"
    )
    essay = {"municipality_codes": ["GM0599"]}
    assert (
        describe("essay:e1:GM0599", ESSAY_SUBMITTED, essay, AT, NAMES)
        == "Essay voor Raad voor Raad uit Rotterdam, ingezonden op 12 maart 2012"
    )
    assert describe("essay:e1:GM0599", ESSAY_WITHDRAWN, essay, AT, NAMES).endswith(
        "ingetrokken op 12 maart 2012"
    )
    edition = {"guide_slug": "gia-handreiking", "edition": 2}
    assert (
        describe("guide:g1:GM0513", GUIDE_DOWNLOADED, edition, AT, NAMES)
        == "Handreiking gia-handreiking gedownload (editie 2) op 12 maart 2012"
    )
    toolbox = {"guide_slug": "gia-handreiking", "edition": None}
    assert "onderdeel van de gereedschapskist" in describe(
        "guide:g1:GM0513", GUIDE_DOWNLOADED, toolbox, AT, NAMES
    )


def test_a_basis_without_its_event_is_still_words_and_an_unknown_one_is_shown_as_it_is() -> None:
    assert describe(REQUEST, None, {}, None, NAMES) == "Praktijkteamaanvraag van Gouda, ingediend"
    assert describe("other:x", None, {}, None, NAMES) == "other:x"


def test_every_event_type_has_a_dutch_name() -> None:
    assert set(EVENTS) == set(CATALOGUE)
