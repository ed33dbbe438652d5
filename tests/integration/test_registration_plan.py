"""Meetings against the plan on PostgreSQL: the plan staff set per programme year, the
meetings counted against it (scheduled, held, ended without attendance list, cancelled),
the target-group municipalities no meeting reached, and a meeting's organiser and host."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from gia.migrations import migrations_dir, upgrade
from services.registration.app import create_app
from services.registration.models import Base, Meeting, MeetingPlan, Outbox
from services.registration.plan import plan_view
from services.registration.seed import seed
from shared.clock import SetClock
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.municipalities import load_register
from shared.settings import Settings
from tests.factories import MEETING, PERSON, serving, signed_in, staff_headers
from tests.integration.test_registration_pages import MEETING_FORM

pytestmark = pytest.mark.services

# 1 November 2012, noon in Amsterdam.
NOVEMBER = datetime(2012, 11, 1, 11, tzinfo=UTC)
PLAN = {
    "gia": {
        "Noorden": 2,
        "Oosten": 2,
        "Flevoland-Utrecht": 2,
        "Noord-Brabant": 2,
        "Noord-Holland": 2,
        "Zuid-Holland": 2,
        "Limburg": 2,
        "Zeeland": 1,
    },
    "raad_voor_raad": {"Noorden": 1, "Noord-Holland": 1, "Noord-Brabant": 1},
}


@pytest.fixture
def clock() -> SetClock:
    return SetClock(NOVEMBER)


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


def meeting(
    client: FlaskClient, staff: dict[str, str], day: str, **overrides: Any
) -> dict[str, Any]:
    """A meeting from 10:00 to 13:00 (Amsterdam, winter time) on ``day``."""
    body = {
        **MEETING,
        "capacity": 10,
        "starts_at": f"{day}T10:00:00+01:00",
        "ends_at": f"{day}T13:00:00+01:00",
        "registration_deadline": f"{day}T09:00:00+01:00",
        **overrides,
    }
    response = client.post("/api/v1/meetings", json=body, headers=staff)
    assert response.status_code == 201, response.json
    return response.json


def registered(client: FlaskClient, meeting_id: str, email: str, **person: str) -> str:
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, "email": email, **person}
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def tally(plan: dict[str, Any], kind: str, region: str | None = None) -> dict[str, int]:
    found = next(k for k in plan["kinds"] if k["kind"] == kind)
    if region is not None:
        found = next(r for r in found["regions"] if r["region"] == region)
    return {key: value for key, value in found.items() if key not in ("kind", "regions", "region")}


def test_the_year_counts_its_meetings_against_the_plan_and_lists_who_is_not_reached(
    client: FlaskClient, staff: dict[str, str], clock: SetClock, real_settings: Settings
) -> None:
    clock.now = datetime(2012, 9, 1, 10, tzinfo=UTC)  # registration still open for all
    held = meeting(client, staff, "2012-09-10", region="Noorden", title="Gehouden")
    rotterdam = registered(client, held["id"], "r@example.nl", municipality_code="GM0599")
    registered(client, held["id"], "dh@example.nl", municipality_code="GM0518")  # stays away
    # Someone from an organisation, checked in: reaches no municipality.
    guest = registered(
        client, held["id"], "o@example.nl", municipality_code=None, organisation="FORUM"
    )
    for registration_id in (rotterdam, guest):
        checked = client.post(f"/api/v1/registrations/{registration_id}/check-in", headers=staff)
        assert checked.status_code == 200
    unrecorded = meeting(client, staff, "2012-10-01", region="Noorden", title="Zonder lijst")
    registered(client, unrecorded["id"], "a@example.nl", municipality_code="GM0363")
    meeting(client, staff, "2012-12-10", region="Zuid-Holland", title="Komt nog")
    called_off = meeting(client, staff, "2012-12-12", region="Limburg", title="Afgelast")
    client.post(f"/api/v1/meetings/{called_off['id']}/cancel", headers=staff)
    meeting(client, staff, "2012-11-20", kind="raad_voor_raad", region="Noord-Holland")
    # 00:30 on 1 January 2013 in Amsterdam, still 2012 in UTC: a meeting of 2013.
    meeting(
        client,
        staff,
        "2013-01-01",
        starts_at="2013-01-01T00:30:00+01:00",
        ends_at="2013-01-01T02:00:00+01:00",
        registration_deadline="2012-12-31T12:00:00+01:00",
    )

    clock.now = NOVEMBER
    saved = client.put("/api/v1/plans/2012", json=PLAN, headers=staff)
    assert saved.status_code == 200, saved.json
    plan = client.get("/api/v1/plans/2012", headers=staff).json
    assert plan == saved.json and plan["year"] == 2012
    assert tally(plan, "gia") == {
        "planned": 15,
        "scheduled": 1,
        "held": 1,
        "ended_without_attendance": 1,
        "cancelled": 1,
        "to_schedule": 12,
    }
    assert tally(plan, "gia", "Noorden") == {
        "planned": 2,
        "scheduled": 0,
        "held": 1,
        "ended_without_attendance": 1,
        "cancelled": 0,
        "to_schedule": 0,
    }
    assert tally(plan, "gia", "Limburg")["cancelled"] == 1
    assert tally(plan, "raad_voor_raad") == {
        "planned": 3,
        "scheduled": 1,
        "held": 0,
        "ended_without_attendance": 0,
        "cancelled": 0,
        "to_schedule": 2,
    }
    assert [k["kind"] for k in plan["kinds"]] == ["gia", "raad_voor_raad"]
    assert [r["region"] for r in plan["kinds"][0]["regions"]][:2] == ["Noorden", "Oosten"]

    target_group = {m.code for m in load_register(real_settings.municipalities_file).target_group}
    unreached = {m["code"] for m in plan["unreached"]}
    assert plan["target_group"] == len(target_group)
    assert unreached == target_group - {"GM0599"}  # Den Haag registered, Amsterdam's had no list
    assert {"GM0518", "GM0363"} <= unreached
    amsterdam = next(m for m in plan["unreached"] if m["code"] == "GM0363")
    assert amsterdam == {"code": "GM0363", "name": "Amsterdam", "region": "Noord-Holland"}

    # Once the meeting of 1 October has its attendance list, it is held and Amsterdam reached.
    late_list = client.get(f"/api/v1/meetings/{unrecorded['id']}/registrations", headers=staff)
    client.post(f"/api/v1/registrations/{late_list.json[0]['id']}/check-in", headers=staff)
    plan = client.get("/api/v1/plans/2012", headers=staff).json
    assert tally(plan, "gia", "Noorden")["held"] == 2
    assert "GM0363" not in {m["code"] for m in plan["unreached"]}

    # The next year has its own meetings and no plan yet.
    next_year = client.get("/api/v1/plans/2013", headers=staff).json
    assert tally(next_year, "gia")["planned"] == 0 and tally(next_year, "gia")["scheduled"] == 1
    assert len(next_year["unreached"]) == len(target_group)


def test_setting_the_plan_again_replaces_it(client: FlaskClient, staff: dict[str, str]) -> None:
    client.put("/api/v1/plans/2012", json=PLAN, headers=staff)
    again = client.put("/api/v1/plans/2012", json={"gia": {"Zeeland": 3}}, headers=staff)
    assert again.status_code == 200
    assert tally(again.json, "gia")["planned"] == 3
    assert tally(again.json, "gia", "Zeeland")["planned"] == 3
    assert tally(again.json, "raad_voor_raad")["planned"] == 0
    assert tally(client.get("/api/v1/plans/2011", headers=staff).json, "gia")["planned"] == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("{not json", 400, None),
        ({"gia": {"Atlantis": 1}}, 400, "gia"),
        ({"gia": {"Noorden": -1}}, 400, "gia"),
        ({"gia": {"Noorden": 101}}, 400, "gia"),
        ({"gia": {"Noorden": "veel"}}, 400, "gia"),
        ({"gia": {"Noorden": None}}, 400, "gia"),
        ({"gia": [2, 3]}, 400, "gia"),
        ({"elsewhere": {"Noorden": 1}}, 400, "elsewhere"),
        ({"raad_voor_raad": {"Noorden": 1.5}}, 400, "raad_voor_raad"),
    ],
)
def test_a_bad_plan_is_a_clear_problem_and_changes_nothing(
    client: FlaskClient, staff: dict[str, str], body: Any, status: int, field: str | None
) -> None:
    client.put("/api/v1/plans/2012", json=PLAN, headers=staff)
    url = "/api/v1/plans/2012"
    response = (
        client.put(url, data=body, content_type="application/json", headers=staff)
        if isinstance(body, str)
        else client.put(url, json=body, headers=staff)
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json["errors"]
    assert tally(client.get(url, headers=staff).json, "gia")["planned"] == 15


def test_the_plan_is_for_staff_and_for_years_that_exist(
    client: FlaskClient, real_settings: Settings
) -> None:
    assert client.get("/api/v1/plans/2012").status_code == 401
    assert client.put("/api/v1/plans/2012", json=PLAN).status_code == 401
    jury = staff_headers(real_settings, role="jury")
    assert client.put("/api/v1/plans/2012", json=PLAN, headers=jury).status_code == 403
    staff = staff_headers(real_settings)
    for year in ("1999", "2100", "99999999999999999999999"):
        for answer in (
            client.get(f"/api/v1/plans/{year}", headers=staff),
            client.put(f"/api/v1/plans/{year}", json=PLAN, headers=staff),
        ):
            assert answer.status_code == 404 and "programme year" in answer.json["detail"]
    assert client.get("/api/v1/plans/-1", headers=staff).status_code == 404


def test_a_meeting_records_its_organiser_and_host_municipality(
    client: FlaskClient, staff: dict[str, str], clock: SetClock
) -> None:
    clock.now = datetime(2012, 9, 1, 10, tzinfo=UTC)
    created = meeting(
        client, staff, "2012-12-10", organiser="CMO Zuid-Holland", host_municipality_code="Den Haag"
    )
    assert created["organiser"] == "CMO Zuid-Holland"
    assert created["host_municipality_code"] == "GM0518"
    assert created["admits_aldermen"] is False
    changed = client.patch(
        f"/api/v1/meetings/{created['id']}",
        json={"organiser": "Ministerie van BZK", "host_municipality_code": "GM0599"},
        headers=staff,
    )
    assert changed.status_code == 200 and changed.json["host_municipality_code"] == "GM0599"
    assert client.get(f"/api/v1/meetings/{created['id']}").json["organiser"] == (
        "Ministerie van BZK"
    )
    # Without them, as before.
    plain = meeting(client, staff, "2012-12-11")
    assert plain["organiser"] is None and plain["host_municipality_code"] is None


@pytest.mark.parametrize(
    "change",
    [
        {"host_municipality_code": "Atlantis"},
        {"host_municipality_code": 363},
        {"organiser": "x" * 201},
        {"organiser": "x"},
        {"admits_aldermen": "misschien"},
    ],
)
def test_a_bad_organiser_or_host_is_refused(
    client: FlaskClient, staff: dict[str, str], change: dict[str, Any]
) -> None:
    created = client.post("/api/v1/meetings", json={**MEETING, **change}, headers=staff)
    assert created.status_code == 400 and set(change) <= set(created.json["errors"])
    assert client.get("/api/v1/meetings", headers=staff).json == []
    existing = meeting(
        client, staff, "2030-10-10", registration_deadline="2030-10-09T12:00:00+02:00"
    )
    changed = client.patch(f"/api/v1/meetings/{existing['id']}", json=change, headers=staff)
    assert changed.status_code == 400
    kept = client.get(f"/api/v1/meetings/{existing['id']}").json
    assert kept["organiser"] is None and kept["host_municipality_code"] is None


def test_the_plan_and_timeline_are_in_the_openapi_document(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/plans/{year}"])
    assert "get" in paths["/api/v1/timeline"]
    assert "get" in paths["/api/v1/meetings/{meeting_id}/timeline"]
    assert "/api/v1/meetings" in paths  # what was there stays


# -- the staff page ----------------------------------------------------------------------------


@pytest.fixture
def staff_pages(app: Flask) -> FlaskClient:
    app.config["WTF_CSRF_ENABLED"] = False
    pages = app.test_client()
    signed_in(pages, "planning@minbzk.nl", "staff")
    return pages


def test_staff_set_the_plan_on_the_page_and_see_the_year_against_it(
    staff_pages: FlaskClient, client: FlaskClient, staff: dict[str, str], clock: SetClock
) -> None:
    assert staff_pages.get("/beheer/plan").location.endswith("/beheer/plan/2012")
    clock.now = datetime(2012, 9, 1, 10, tzinfo=UTC)
    held = meeting(client, staff, "2012-09-10", region="Zeeland")
    person = registered(client, held["id"], "r@example.nl", municipality_code="GM0599")
    client.post(f"/api/v1/registrations/{person}/check-in", headers=staff)
    clock.now = NOVEMBER

    form = {f"gia.{region}": str(number) for region, number in PLAN["gia"].items()}
    form |= {"raad_voor_raad.Noorden": "3", "raad_voor_raad.Zeeland": ""}
    saved = staff_pages.post("/beheer/plan/2012", data=form)
    assert saved.status_code == 302 and saved.location.endswith("/beheer/plan/2012")
    plan = client.get("/api/v1/plans/2012", headers=staff).json
    assert tally(plan, "gia")["planned"] == 15 and tally(plan, "raad_voor_raad")["planned"] == 3
    assert tally(plan, "gia", "Zeeland")["held"] == 1

    page = staff_pages.get("/beheer/plan/2012").get_data(as_text=True)
    assert "Het plan voor 2012 is opgeslagen." in page
    assert "GIA-bijeenkomst: 1 gehouden, 15 gepland" in page
    assert 'id="gia.Zeeland" name="gia.Zeeland" type="number" value="1"' in page
    assert "<li>Amsterdam</li>" in page and "<li>Rotterdam</li>" not in page
    assert "<script" not in page


@pytest.mark.parametrize(
    ("field", "value", "dutch"),
    [
        ("gia.Noorden", "twee", "Vul een geheel getal in."),
        ("gia.Noorden", "-2", "Vul een getal van 0 tot en met 100 in."),
        ("raad_voor_raad.Zeeland", "1000", "Vul een getal van 0 tot en met 100 in."),
    ],
)
def test_a_bad_number_on_the_page_is_shown_beside_its_field(
    staff_pages: FlaskClient,
    client: FlaskClient,
    staff: dict[str, str],
    field: str,
    value: str,
    dutch: str,
) -> None:
    client.put("/api/v1/plans/2012", json=PLAN, headers=staff)
    refused = staff_pages.post("/beheer/plan/2012", data={"gia.Zeeland": "4", field: value})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f'<span class="field-error" id="{field}-fout">{dutch}' in page
    assert f'<a href="#{field}">' in page and f'value="{value}"' in page
    assert tally(client.get("/api/v1/plans/2012", headers=staff).json, "gia")["planned"] == 15


def test_the_plan_page_is_for_staff_and_known_years(
    staff_pages: FlaskClient, client: FlaskClient
) -> None:
    unknown = staff_pages.get("/beheer/plan/1999")
    assert unknown.status_code == 404
    assert "Dit programmajaar kennen wij niet" in unknown.get_data(as_text=True)
    assert staff_pages.post("/beheer/plan/3000", data={"gia.Noorden": "1"}).status_code == 404
    for answer in (client.get("/beheer/plan/2012"), client.post("/beheer/plan/2012", data={})):
        assert answer.status_code in (302, 400, 401, 403)
        assert "tegen het plan" not in answer.get_data(as_text=True)


def test_the_meeting_form_takes_organiser_host_and_aldermen(
    staff_pages: FlaskClient, client: FlaskClient, staff: dict[str, str]
) -> None:
    form = {
        **MEETING_FORM,
        "kind": "raad_voor_raad",
        "organiser": "Ministerie van BZK",
        "host_municipality_code": "den haag",
        "admits_aldermen": "on",
    }
    created = staff_pages.post("/beheer/bijeenkomsten", data=form)
    assert created.status_code == 302, created.get_data(as_text=True)
    (found,) = client.get("/api/v1/meetings").json
    assert (found["organiser"], found["host_municipality_code"], found["admits_aldermen"]) == (
        "Ministerie van BZK",
        "GM0518",
        True,
    )
    public = client.get(f"/bijeenkomsten/{found['id']}").get_data(as_text=True)
    assert "<dt>Gastgemeente</dt><dd>&#39;s-Gravenhage</dd>" in public
    assert "Voor raadsleden en wethouders" in public
    edit = staff_pages.get(f"/beheer/bijeenkomsten/{found['id']}").get_data(as_text=True)
    assert (
        'value="&#39;s-Gravenhage"' in edit
        and 'id="admits_aldermen" name="admits_aldermen" checked' in edit
    )

    refused = staff_pages.post(
        "/beheer/bijeenkomsten", data={**form, "host_municipality_code": "Atlantis"}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert (
        '<span class="field-error" id="host_municipality_code-fout">Deze gemeente kennen wij niet'
        in page
    )
    assert len(client.get("/api/v1/meetings").json) == 1


def test_the_meeting_page_refuses_an_alderman_in_dutch_unless_staff_allow_it(
    staff_pages: FlaskClient, client: FlaskClient, staff: dict[str, str]
) -> None:
    council_only = client.post(
        "/api/v1/meetings", json={**MEETING, "kind": "raad_voor_raad"}, headers=staff
    ).json["id"]
    page = client.get(f"/bijeenkomsten/{council_only}").get_data(as_text=True)
    assert "Alleen voor raadsleden" in page and "Voor raadsleden en wethouders" not in page
    alderman = {**PERSON, "role": "alderman", "organisation": ""}
    refused = staff_pages.post(f"/bijeenkomsten/{council_only}", data=alderman)
    assert refused.status_code == 409
    assert "alleen voor raadsleden; wethouders kunnen zich hiervoor niet aanmelden" in (
        refused.get_data(as_text=True)
    )
    client.patch(f"/api/v1/meetings/{council_only}", json={"admits_aldermen": True}, headers=staff)
    assert staff_pages.post(f"/bijeenkomsten/{council_only}", data=alderman).status_code == 302


def test_the_examples_follow_the_letters_plan_with_organisers_and_hosts(
    real_settings: Settings,
) -> None:
    upgrade(real_settings, ("registration",))
    db = Database.for_service(real_settings, "registration")
    recorder = EventRecorder(Outbox, real_settings.event_source("registration"))
    register = load_register(real_settings.municipalities_file)
    try:
        with db.transaction() as session:
            seed(session, recorder, date(2012, 7, 2))
            meetings = list(session.scalars(select(Meeting)))
            view = plan_view(session, 2012, NOVEMBER, register.target_group)
    finally:
        db.dispose()
    assert [(k.kind, k.planned) for k in view.kinds] == [("gia", 15), ("raad_voor_raad", 3)]
    for kind in view.kinds:  # all in 2012: either still to come or over without a list
        assert kind.scheduled + kind.ended_without_attendance == kind.planned
        assert kind.held == kind.cancelled == kind.to_schedule == 0
        assert all(region.planned == sum(region.states.values()) for region in kind.regions)
    for meeting in meetings:
        host = register.get(meeting.host_municipality_code or "")
        assert host is not None and host.region == meeting.region, meeting.title
        assert meeting.organiser in (f"CMO {meeting.region}", "Ministerie van BZK")
        assert meeting.admits_aldermen is False


# -- the migration -----------------------------------------------------------------------------


def _alembic(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir("registration")))
    config.attributes["database"] = db
    return config


def test_migration_0006_keeps_aldermen_welcome_where_they_were_and_matches_the_models(
    real_settings: Settings,
) -> None:
    db = Database.for_service(real_settings, "registration")
    try:
        db.ensure_schema()
        command.upgrade(_alembic(db), "0005")
        with db.transaction() as session:
            for kind in ("gia", "raad_voor_raad"):
                session.execute(
                    text(
                        "INSERT INTO meetings (id, kind, title, themes, region, venue, starts_at,"
                        " ends_at, capacity, registration_deadline, counts_for_participation,"
                        " guide_presented, created_at) VALUES (:id, :kind, 'Eerder', '[]',"
                        " 'Noorden', 'Assen', now(), now(), 10, now(), true, false, now())"
                    ),
                    {"id": str(uuid.uuid4()), "kind": kind},
                )
        command.upgrade(_alembic(db), "0006")
        with db.transaction() as session:
            admitted = dict(session.execute(select(Meeting.kind, Meeting.admits_aldermen)).all())
            assert admitted == {"gia": False, "raad_voor_raad": True}
            assert session.scalars(select(MeetingPlan)).all() == []
        command.upgrade(_alembic(db), "head")
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        mine = ("meeting_plans", "organiser", "host_municipality_code", "admits_aldermen")
        assert [d for d in differences if any(name in repr(d) for name in mine)] == []
        command.downgrade(_alembic(db), "0005")
        command.upgrade(_alembic(db), "head")
    finally:
        db.dispose()
