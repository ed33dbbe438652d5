"""The registration pages on the embedded SQLite default: Dutch forms, own page, staff pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gia.migrations import upgrade
from services.registration import meetings
from services.registration import registrations as registering
from services.registration.app import create_app
from services.registration.models import Meeting, Registration
from services.registration.schemas import MeetingIn
from shared.settings import Settings, load_settings
from tests.factories import MEETING, PERSON, delivered_mails, signed_in
from tests.refusals import summary_links

# The form as a browser sends it: every field, empty ones as empty strings.
FORM = {**PERSON, "organisation": ""}
MEETING_FORM = {
    "kind": "gia",
    "title": "Regiobijeenkomst Zeeland",
    "region": "Zeeland",
    "venue": "Stadhuis Middelburg",
    "address": "",
    "starts_at": "2030-10-10T10:00",
    "ends_at": "2030-10-10T13:00",
    "registration_deadline": "2030-10-09T12:00",
    "capacity": "30",
    "themes": ["discrimination", "education"],
    "counts_for_participation": "on",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})
    upgrade(settings, ("auth", "registration"))
    return settings


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    app = create_app(settings)
    app.config["WTF_CSRF_ENABLED"] = False
    yield app
    context = app.extensions["gia"]
    for db in (context.db, context.auth_db):
        db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff(client: FlaskClient) -> FlaskClient:
    signed_in(client, "deur@minbzk.nl", "staff")
    return client


def new_meeting(app: Flask, **overrides: Any) -> str:
    context = app.extensions["gia"]
    with context.db.transaction() as session:
        data = MeetingIn().load({**MEETING, **overrides})
        return meetings.create_meeting(session, context.recorder, data).id


def register(client: FlaskClient, meeting_id: str, **overrides: str) -> str:
    """Registers through the form; the path of the person's own page."""
    response = client.post(f"/bijeenkomsten/{meeting_id}", data={**FORM, **overrides})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def registrations(app: Flask) -> list[Registration]:
    with app.extensions["gia"].db.transaction() as session:
        return list(session.scalars(select(Registration).order_by(Registration.arrival)))


def subjects(settings: Settings) -> list[str]:
    return [str(mail["Subject"]) for mail in delivered_mails(settings)]


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_list_shows_upcoming_meetings_with_seats_and_filters(
    app: Flask, client: FlaskClient
) -> None:
    new_meeting(app, capacity=3)
    new_meeting(
        app,
        kind="raad_voor_raad",
        title="Raad voor Raad Noord",
        region="Noorden",
        themes=["citizenship"],
    )
    new_meeting(
        app,
        title="Voorbij",
        starts_at="2020-01-10T10:00:00+01:00",
        ends_at="2020-01-10T12:00:00+01:00",
        registration_deadline="2020-01-09T12:00:00+01:00",
    )
    everything = text(client.get("/"))
    assert "Regiobijeenkomst Limburg" in everything and "Raad voor Raad Noord" in everything
    assert "Voorbij" not in everything
    assert (
        "Nog 3 plaatsen vrij" in everything and "10-10-2030 van 10:00 tot 13:00 uur" in everything
    )
    for query, shown, hidden in (
        ("region=Limburg", "Regiobijeenkomst Limburg", "Raad voor Raad Noord"),
        ("theme=citizenship", "Raad voor Raad Noord", "Regiobijeenkomst Limburg"),
        ("kind=gia&region=&theme=", "Regiobijeenkomst Limburg", "Raad voor Raad Noord"),
    ):
        page = text(client.get(f"/bijeenkomsten?{query}"))
        assert shown in page and hidden not in page, query
    unknown = client.get("/bijeenkomsten?region=Mars")
    assert unknown.status_code == 422 and "Kies een van de mogelijkheden." in text(unknown)


def test_registering_by_form_leads_to_the_own_page_and_a_mail(
    app: Flask, client: FlaskClient, settings: Settings
) -> None:
    meeting_id = new_meeting(app)  # one seat
    assert "Nog 1 plaats vrij" in text(client.get(f"/bijeenkomsten/{meeting_id}"))

    first = register(client, meeting_id)
    assert first.startswith("/inschrijving/") and "token=" in first
    assert "U bent aangemeld." in text(client.get(first))

    full = text(client.get(f"/bijeenkomsten/{meeting_id}"))
    assert "Vol \N{EN DASH} u komt op de wachtlijst" in full
    second = register(client, meeting_id, email="b@example.nl", municipality_code="GM0363")
    assert "op plaats <strong>1</strong>" in text(client.get(second))
    assert [r.status for r in registrations(app)] == ["confirmed", "waitlisted"]
    assert subjects(settings) == [
        "Aanmelding bevestigd: Regiobijeenkomst Limburg",
        "Op de wachtlijst: Regiobijeenkomst Limburg",
    ]


@pytest.mark.parametrize(
    ("change", "field", "dutch"),
    [
        ({"name": ""}, "name", "Vul dit veld in."),
        ({"email": "an-at-example.nl"}, "email", "Vul een geldig e-mailadres in"),
        ({"municipality_code": "GM9999"}, "municipality_code", "Deze gemeente kennen wij niet"),
        ({"municipality_code": ""}, "municipality_code", "Kies uw gemeente of vul uw organisatie"),
        ({"role": "mayor"}, "role", "Kies een van de mogelijkheden."),
    ],
)
def test_a_wrong_form_says_in_dutch_what_to_fix_and_writes_nothing(
    app: Flask,
    client: FlaskClient,
    settings: Settings,
    change: dict[str, str],
    field: str,
    dutch: str,
) -> None:
    meeting_id = new_meeting(app)
    response = client.post(f"/bijeenkomsten/{meeting_id}", data={**FORM, **change})
    page = text(response)
    assert response.status_code == 422
    assert f'<span class="field-error" id="{field}-fout">{dutch}' in page
    assert f'<a href="#{field}">' in page  # the error summary links to the field
    kept = {**FORM, **change}["email"]
    assert f'value="{kept}"' in page
    assert registrations(app) == [] and subjects(settings) == []


def test_raad_voor_raad_explains_and_refuses_an_official_in_dutch(
    app: Flask, client: FlaskClient
) -> None:
    meeting_id = new_meeting(app, kind="raad_voor_raad", title="Raad voor Raad Zuid")
    assert "Alleen voor raadsleden" in text(client.get(f"/bijeenkomsten/{meeting_id}"))
    refused = client.post(f"/bijeenkomsten/{meeting_id}", data=FORM)
    assert refused.status_code == 409
    assert "Deze Raad voor Raad-bijeenkomst is alleen voor raadsleden." in text(refused)
    assert 'value="An de Vries"' in text(refused) and registrations(app) == []
    register(client, meeting_id, role="council_member")
    assert [r.role for r in registrations(app)] == ["council_member"]


def test_the_own_page_opens_only_with_its_own_token(app: Flask, client: FlaskClient) -> None:
    meeting_id = new_meeting(app, capacity=5)
    mine = register(client, meeting_id)
    theirs = register(client, meeting_id, email="b@example.nl")
    my_token = mine.split("token=")[1]
    their_page = theirs.split("?")[0]

    assert client.get(mine).status_code == 200
    for attempt in (
        client.get(f"{their_page}?token={my_token}"),
        client.get(their_page),
        client.post(f"{their_page}/afmelden", data={"token": my_token}),
    ):
        assert attempt.status_code == 403
        assert "Deze link is niet geldig" in text(attempt)
    assert [r.status for r in registrations(app)] == ["confirmed", "confirmed"]


def test_cancelling_on_the_own_page_gives_the_seat_to_the_first_waiting(
    app: Flask, client: FlaskClient, settings: Settings
) -> None:
    meeting_id = new_meeting(app)  # one seat
    first = register(client, meeting_id)
    second = register(client, meeting_id, email="b@example.nl")
    third = register(client, meeting_id, email="c@example.nl")
    assert "op plaats <strong>2</strong>" in text(client.get(third))

    path, token = first.split("?token=")
    cancelled = client.post(f"{path}/afmelden", data={"token": token}, follow_redirects=True)
    assert "U bent afgemeld." in text(cancelled)
    assert "Afmelden</button>" not in text(cancelled)
    assert "U bent aangemeld." in text(client.get(second))
    assert "op plaats <strong>1</strong>" in text(client.get(third))
    assert [r.status for r in registrations(app)] == ["cancelled", "confirmed", "waitlisted"]
    assert subjects(settings)[-1] == "Er is een plaats voor u: Regiobijeenkomst Limburg"


STAFF_PAGES = [
    ("get", "/beheer"),
    ("post", "/beheer/bijeenkomsten"),
    ("get", "/beheer/bijeenkomsten/{id}"),
    ("post", "/beheer/bijeenkomsten/{id}/afgelasten"),
    ("get", "/beheer/bijeenkomsten/{id}/deur"),
    ("post", "/beheer/bijeenkomsten/{id}/deur"),
    ("get", "/beheer/bijeenkomsten/{id}/aanwezigheid"),
    ("get", "/beheer/bijeenkomsten/{id}/aanwezigheid.csv"),
    ("get", "/beheer/bijeenkomsten/{id}/inschrijvingen"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_PAGES)
def test_staff_pages_send_people_without_a_session_to_the_login(
    app: Flask, client: FlaskClient, method: str, path: str
) -> None:
    meeting_id = new_meeting(app)
    response = getattr(client, method)(path.format(id=meeting_id))
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    with app.extensions["gia"].db.transaction() as session:
        assert meetings.get_meeting(session, meeting_id).cancelled_at is None


def test_staff_create_change_and_cancel_a_meeting(
    app: Flask, staff: FlaskClient, settings: Settings
) -> None:
    created = staff.post("/beheer/bijeenkomsten", data=MEETING_FORM, follow_redirects=True)
    assert "De bijeenkomst Regiobijeenkomst Zeeland is aangemaakt." in text(created)
    with app.extensions["gia"].db.transaction() as session:
        meeting = session.scalars(select(Meeting)).one()
    # 10:00 in Amsterdam in October (summer time) is 08:00 UTC.
    assert meeting.starts_at == datetime(2030, 10, 10, 8, tzinfo=UTC)
    assert meeting.themes == ["discrimination", "education"] and meeting.address is None
    assert meeting.counts_for_participation and not meeting.guide_presented

    wrong = staff.post(
        "/beheer/bijeenkomsten", data={**MEETING_FORM, "ends_at": "2030-10-10T09:00"}
    )
    assert wrong.status_code == 422
    assert "De bijeenkomst moet eindigen nadat ze begint." in text(wrong)

    edit = text(staff.get(f"/beheer/bijeenkomsten/{meeting.id}"))
    assert 'value="2030-10-10T10:00"' in edit and 'value="Stadhuis Middelburg"' in edit
    register(staff, meeting.id)
    register(staff, meeting.id, email="b@example.nl")
    too_small = staff.post(
        f"/beheer/bijeenkomsten/{meeting.id}", data={**MEETING_FORM, "capacity": "1"}
    )
    assert too_small.status_code == 409
    assert "2 deelnemers hebben al een bevestigde plaats" in text(too_small)

    changed = staff.post(
        f"/beheer/bijeenkomsten/{meeting.id}",
        data={**MEETING_FORM, "venue": "Abdij Middelburg"},
        follow_redirects=True,
    )
    assert "De bijeenkomst is gewijzigd; iedereen die zich aanmeldde krijgt bericht." in text(
        changed
    )
    assert subjects(settings)[-2:] == ["Gewijzigd: Regiobijeenkomst Zeeland"] * 2

    staff.post(f"/beheer/bijeenkomsten/{meeting.id}/afgelasten")
    assert subjects(settings)[-2:] == ["Afgelast: Regiobijeenkomst Zeeland"] * 2
    public = text(staff.get(f"/bijeenkomsten/{meeting.id}"))
    assert "Deze bijeenkomst gaat niet door." in public and 'name="email"' not in public
    late = staff.post(f"/bijeenkomsten/{meeting.id}", data={**FORM, "email": "c@example.nl"})
    assert late.status_code == 409
    assert "Deze bijeenkomst is afgelast; aanmelden kan niet meer." in text(late)


def test_at_the_door_check_in_undo_and_walk_in(app: Flask, staff: FlaskClient) -> None:
    meeting_id = new_meeting(app, capacity=3)
    register(staff, meeting_id)
    register(
        staff,
        meeting_id,
        name="Bram Bakker",
        email="b@example.nl",
        municipality_code="",
        organisation="COA",
    )
    register(staff, meeting_id, name="Cas Jansen", email="c@example.nl", municipality_code="GM0363")
    an, bram, _ = registrations(app)
    door = f"/beheer/bijeenkomsten/{meeting_id}/deur"
    assert "<strong>0</strong> van 3 aangemelden binnen" in text(staff.get(door))
    searched = text(staff.get(f"{door}?q=rotterdam"))
    assert "An de Vries" in searched and "Bram Bakker" not in searched

    checked = staff.post(f"/beheer/inschrijvingen/{an.id}/binnen", follow_redirects=True)
    assert "An de Vries is binnen." in text(checked)
    assert "<strong>1</strong> van 3 aangemelden binnen" in text(checked)
    assert "An de Vries: binnenkomst ongedaan maken" in text(checked)
    undone = staff.post(f"/beheer/inschrijvingen/{an.id}/niet-binnen", follow_redirects=True)
    assert "<strong>0</strong> van 3 aangemelden binnen" in text(undone)

    walked = staff.post(
        door,
        data={**FORM, "name": "Cor de Wit", "email": "cor@example.nl", "municipality_code": ""},
    )
    assert walked.status_code == 422 and "Kies uw gemeente" in text(walked)
    full = staff.post(door, data={**FORM, "name": "Cor de Wit", "email": "cor@example.nl"})
    assert full.status_code == 409
    assert "De bijeenkomst is vol. Verhoog eerst het aantal plaatsen" in text(full)

    staff.post(f"/beheer/inschrijvingen/{bram.id}/binnen")
    csv = staff.get(f"/beheer/bijeenkomsten/{meeting_id}/aanwezigheid.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    rows = text(csv).splitlines()
    assert rows[0].startswith("naam,e-mail,rol") and len(rows) == 2
    assert rows[1].startswith("Bram Bakker,b@example.nl,official,,,COA")
    printable = text(staff.get(f"/beheer/bijeenkomsten/{meeting_id}/aanwezigheid"))
    assert "1 aanwezig" in printable and "Bram Bakker" in printable
    assert "An de Vries" not in printable


def test_a_walk_in_is_registered_and_checked_in_at_once(app: Flask, staff: FlaskClient) -> None:
    meeting_id = new_meeting(app, capacity=2)
    walked = staff.post(
        f"/beheer/bijeenkomsten/{meeting_id}/deur",
        data={**FORM, "name": "Cor de Wit", "email": "cor@example.nl"},
        follow_redirects=True,
    )
    assert "Cor de Wit is aangemeld en binnen." in text(walked)
    (cor,) = registrations(app)
    assert cor.walk_in and cor.checked_in_at is not None and cor.status == "confirmed"


def test_the_registrations_list_shows_status_and_waiting_place(
    app: Flask, staff: FlaskClient
) -> None:
    meeting_id = new_meeting(app)
    register(staff, meeting_id)
    register(staff, meeting_id, name="Bram Bakker", email="b@example.nl")
    page = text(staff.get(f"/beheer/bijeenkomsten/{meeting_id}/inschrijvingen"))
    assert '<td data-label="Status">aangemeld</td>' in page
    assert "op de wachtlijst, plaats 1" in page


def test_checking_in_someone_waiting_is_a_dutch_conflict(app: Flask, staff: FlaskClient) -> None:
    meeting_id = new_meeting(app)
    register(staff, meeting_id)
    register(staff, meeting_id, email="b@example.nl")
    waiting = registrations(app)[1]
    refused = staff.post(f"/beheer/inschrijvingen/{waiting.id}/binnen")
    assert refused.status_code == 409
    assert "Alleen wie een bevestigde plaats heeft" in text(refused)


def test_an_unknown_meeting_is_a_dutch_404(client: FlaskClient) -> None:
    missing = client.get("/bijeenkomsten/6f1c0c4e-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "Deze bijeenkomst bestaat niet." in text(missing)


def test_a_form_without_its_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    meeting_id = new_meeting(app)
    refused = client.post(f"/bijeenkomsten/{meeting_id}", data=FORM)
    assert refused.status_code == 400 and "Het formulier is verlopen." in text(refused)
    assert registrations(app) == []


def test_staff_erase_personal_data_of_a_past_programme_year(app: Flask, staff: FlaskClient) -> None:
    past = new_meeting(
        app,
        starts_at="2012-03-01T14:00:00+01:00",
        ends_at="2012-03-01T17:00:00+01:00",
        registration_deadline="2012-02-25T23:59:00+01:00",
    )
    upcoming = new_meeting(app)
    context = app.extensions["gia"]
    with context.db.transaction() as session:
        registering.register(
            session, context.recorder, past, PERSON, now=datetime(2012, 2, 1, tzinfo=UTC)
        )
    overview = text(staff.get("/beheer"))
    assert f"/beheer/bijeenkomsten/{past}/wissen" in overview
    assert f"/beheer/bijeenkomsten/{upcoming}/wissen" not in overview

    erased = staff.post(f"/beheer/bijeenkomsten/{past}/wissen", follow_redirects=True)
    assert "De persoonsgegevens van 1 inschrijving(en) zijn gewist." in text(erased)
    (person,) = registrations(app)
    assert person.name is None and person.email is None and person.municipality_code
    refused = staff.post(f"/beheer/bijeenkomsten/{upcoming}/wissen")
    assert refused.status_code == 409 and "als het programmajaar voorbij is" in text(refused)


def test_browsers_get_dutch_error_pages_and_programs_problem_json(app: Flask) -> None:
    client = app.test_client()
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    missing = client.get("/bestaat-niet", headers=browser)
    assert missing.status_code == 404 and "Deze pagina bestaat niet." in text(missing)
    meeting_id = new_meeting(app)
    too_big = client.post(
        f"/bijeenkomsten/{meeting_id}", data={**FORM, "name": "x" * 1024 * 1024}, headers=browser
    )
    assert too_big.status_code == 413 and "te groot" in text(too_big)
    assert registrations(app) == []
    program = client.get("/api/v1/bestaat-niet", headers=browser)
    assert program.status_code == 404 and program.mimetype == "application/problem+json"
    assert client.get("/bestaat-niet").mimetype == "application/problem+json"


def test_a_refused_form_opens_with_its_summary_in_the_order_of_the_fields(
    app: Flask, client: FlaskClient, staff: FlaskClient
) -> None:
    """The schema reads capacity before the deadline; the form shows the deadline first."""
    refused = staff.post(
        "/beheer/bijeenkomsten",
        data={**MEETING_FORM, "kind": "", "registration_deadline": "", "capacity": ""},
    )
    assert refused.status_code == 422
    assert summary_links(text(refused)) == [
        ("kind", "Kies een soort bijeenkomst."),
        ("registration_deadline", "Vul dit veld in."),
        ("capacity", "Vul dit veld in."),
    ]
    meeting_id = new_meeting(app)
    without_role = client.post(f"/bijeenkomsten/{meeting_id}", data={**FORM, "role": ""})
    assert summary_links(text(without_role)) == [("role", "Kies een rol.")]
