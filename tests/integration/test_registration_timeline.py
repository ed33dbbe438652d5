"""Registrations over time on PostgreSQL: per meeting, per kind, region and year, per Dutch
calendar day and in total, in the API and as a chart with its table on the staff pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.registration.app import create_app
from shared.clock import SetClock
from shared.settings import Settings
from tests.factories import MEETING, PERSON, serving, signed_in, staff_headers

pytestmark = pytest.mark.services

# The meetings are in the week of 8 October 2012; registration opens in September.
SEPTEMBER = datetime(2012, 9, 20, 10, tzinfo=UTC)
OCTOBER_MEETING = {
    **MEETING,
    "capacity": 3,
    "starts_at": "2012-10-10T10:00:00+02:00",
    "ends_at": "2012-10-10T13:00:00+02:00",
    "registration_deadline": "2012-10-09T12:00:00+02:00",
}


@pytest.fixture
def clock() -> SetClock:
    return SetClock(SEPTEMBER)


@pytest.fixture
def app(real_settings: Settings, clock: SetClock) -> Iterator[Flask]:
    with serving(lambda s: create_app(s, clock), real_settings, "auth", "registration") as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff(real_settings: Settings) -> dict[str, str]:
    return staff_headers(real_settings)


def new_meeting(client: FlaskClient, staff: dict[str, str], **fields: Any) -> str:
    response = client.post("/api/v1/meetings", json={**OCTOBER_MEETING, **fields}, headers=staff)
    assert response.status_code == 201, response.json
    return response.json["id"]


def register_at(
    client: FlaskClient, clock: SetClock, at: datetime, meeting_id: str, email: str, **more: str
) -> str:
    clock.now = at
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, "email": email, **more}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def cancel_at(
    client: FlaskClient, clock: SetClock, at: datetime, registration_id: str, staff: dict[str, str]
) -> None:
    clock.now = at
    response = client.post(f"/api/v1/registrations/{registration_id}/cancel", headers=staff)
    assert response.status_code == 200


@pytest.fixture
def limburg(client: FlaskClient, clock: SetClock, staff: dict[str, str]) -> str:
    """A GIA meeting in Limburg with three seats:

    30 Sep 23:30 (Amsterdam; 21:30 UTC): A registers;
     1 Oct 00:30 (22:30 UTC on 30 Sep): B and C register; 12:00: B cancels (D moves up);
     2 Oct 12:00: D registers, and E (waiting list).
    """
    meeting_id = new_meeting(client, staff)
    register_at(client, clock, datetime(2012, 9, 30, 21, 30, tzinfo=UTC), meeting_id, "a@x.nl")
    late = datetime(2012, 9, 30, 22, 30, tzinfo=UTC)
    b = register_at(client, clock, late, meeting_id, "b@x.nl")
    register_at(client, clock, late, meeting_id, "c@x.nl")
    cancel_at(client, clock, datetime(2012, 10, 1, 10, tzinfo=UTC), b, staff)
    for email in ("d@x.nl", "e@x.nl"):
        register_at(client, clock, datetime(2012, 10, 2, 10, tzinfo=UTC), meeting_id, email)
    return meeting_id


def test_a_meetings_registrations_per_amsterdam_day_and_in_total(
    client: FlaskClient, staff: dict[str, str], limburg: str
) -> None:
    found = client.get(f"/api/v1/meetings/{limburg}/timeline", headers=staff)
    assert found.status_code == 200
    assert found.json["days"] == [
        {
            "date": "2012-09-30",
            "registered": 1,
            "cancelled": 0,
            "registered_total": 1,
            "cancelled_total": 0,
            "active": 1,
        },
        {
            "date": "2012-10-01",
            "registered": 2,
            "cancelled": 1,
            "registered_total": 3,
            "cancelled_total": 1,
            "active": 2,
        },
        {
            "date": "2012-10-02",
            "registered": 2,
            "cancelled": 0,
            "registered_total": 5,
            "cancelled_total": 1,
            "active": 4,
        },
    ]
    summary = {key: value for key, value in found.json.items() if key != "days"}
    assert summary == {
        "meeting_id": limburg,
        "kind": "gia",
        "region": "Limburg",
        "year": 2012,
        "meetings": 1,
        "capacity": 3,
        "registered": 5,
        "cancelled": 1,
        "active": 4,  # three seats taken and one waiting: it will be full
    }


def test_per_kind_region_and_year_over_the_meetings_that_go_ahead(
    client: FlaskClient, clock: SetClock, staff: dict[str, str], limburg: str
) -> None:
    september = datetime(2012, 9, 25, 10, tzinfo=UTC)
    council = new_meeting(client, staff, kind="raad_voor_raad", region="Noorden", capacity=20)
    register_at(client, clock, september, council, "r@x.nl", role="council_member")
    called_off = new_meeting(client, staff, region="Noorden", capacity=50)
    register_at(client, clock, september, called_off, "n@x.nl")
    client.post(f"/api/v1/meetings/{called_off}/cancel", headers=staff)
    next_year = new_meeting(
        client,
        staff,
        starts_at="2013-01-01T00:30:00+01:00",  # 31 December in UTC, 2013 in Amsterdam
        ends_at="2013-01-01T02:00:00+01:00",
        registration_deadline="2012-12-31T12:00:00+01:00",
        capacity=7,
    )
    register_at(client, clock, september, next_year, "j@x.nl")

    def totals(query: str) -> tuple[int, int, int, int]:
        found = client.get(f"/api/v1/timeline{query}", headers=staff)
        assert found.status_code == 200, found.json
        body = found.json
        return body["meetings"], body["capacity"], body["registered"], body["cancelled"]

    assert totals("") == (3, 3 + 20 + 7, 7, 1)  # the cancelled meeting left out
    assert totals("?kind=gia") == (2, 10, 6, 1)
    assert totals("?kind=raad_voor_raad") == (1, 20, 1, 0)
    assert totals("?region=Noorden") == (1, 20, 1, 0)
    assert totals("?region=Limburg&year=2012") == (1, 3, 5, 1)
    assert totals("?year=2013") == (1, 7, 1, 0)
    assert totals("?year=2011") == (0, 0, 0, 0)
    everything = client.get("/api/v1/timeline?kind=gia", headers=staff).json
    assert everything["kind"] == "gia" and everything["region"] is None
    assert everything["meeting_id"] is None
    assert [day["date"] for day in everything["days"]] == [
        "2012-09-25",
        "2012-09-30",
        "2012-10-01",
        "2012-10-02",
    ]
    assert everything["days"][-1]["registered_total"] == 6


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?year=abc", "year"),
        ("?year=1999", "year"),
        ("?year=99999999999999999999", "year"),
        ("?kind=feest", "kind"),
        ("?region=Atlantis", "region"),
    ],
)
def test_bad_choices_are_a_clear_problem(
    client: FlaskClient, staff: dict[str, str], query: str, field: str
) -> None:
    found = client.get(f"/api/v1/timeline{query}", headers=staff)
    assert found.status_code == 400 and found.mimetype == "application/problem+json"
    assert field in found.json["errors"]


def test_the_timeline_is_for_staff_and_known_meetings(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    assert client.get("/api/v1/timeline").status_code == 401
    jury = staff_headers(real_settings, role="jury")
    assert client.get("/api/v1/timeline", headers=jury).status_code == 403
    unknown = "/api/v1/meetings/00000000-0000-4000-8000-000000000000/timeline"
    assert client.get(unknown, headers=staff).status_code == 404
    assert client.get("/api/v1/meetings/niet-een-id/timeline", headers=staff).status_code == 404


# -- the staff pages -------------------------------------------------------------------------


@pytest.fixture
def staff_pages(app: Flask) -> FlaskClient:
    pages = app.test_client()
    signed_in(pages, "planning@minbzk.nl", "staff")
    return pages


def test_the_staff_page_draws_the_chart_with_its_table(
    staff_pages: FlaskClient, limburg: str
) -> None:
    page = staff_pages.get(f"/beheer/bijeenkomsten/{limburg}/verloop")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<svg role="img"' in html and "<polyline" in html
    assert html.count('fill="#154273"') == 3  # a bar on each of the three days
    assert html.count('fill="#a4001e"') == 1  # one day with a cancellation
    # The date axis: a mark a week from the first day.
    assert '<text x="0.0" y="258" text-anchor="middle" font-size="12">30 sep</text>' in html
    assert '<th scope="row">01-10-2012</th>' in html
    assert "5 aanmeldingen" in html and "dus 4 deelnemers" in html
    assert "<script" not in html

    over_all = staff_pages.get("/beheer/verloop?kind=gia&year=2012")
    assert over_all.status_code == 200 and '<th scope="row">02-10-2012</th>' in over_all.get_data(
        as_text=True
    )
    nothing = staff_pages.get("/beheer/verloop?year=2011").get_data(as_text=True)
    assert "Er zijn nog geen aanmeldingen." in nothing and "<svg" not in nothing


def test_the_staff_page_answers_bad_choices_in_dutch(staff_pages: FlaskClient) -> None:
    page = staff_pages.get("/beheer/verloop?year=twintig&region=Atlantis")
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Vul een geheel getal in." in html and "Kies een van de mogelijkheden." in html
    assert '<a href="#year">' in html and "<svg" not in html
    unknown = staff_pages.get("/beheer/bijeenkomsten/00000000-0000-4000-8000-000000000000/verloop")
    assert unknown.status_code == 404 and "Deze bijeenkomst bestaat niet." in unknown.get_data(
        as_text=True
    )


def test_the_staff_pages_need_a_staff_login(client: FlaskClient, limburg: str) -> None:
    for url in ("/beheer/verloop", f"/beheer/bijeenkomsten/{limburg}/verloop"):
        answer = client.get(url)
        assert answer.status_code in (302, 401, 403)
        assert "aanmeldingen" not in answer.get_data(as_text=True).casefold()
