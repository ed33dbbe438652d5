"""Municipalities by name, on PostgreSQL: every API and form that takes a municipality reads
"Den Haag", "den bosch" or "Sudwest Fryslan" as its CBS code through the one resolver, and
refuses a name it does not know with the closest names to choose from."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from services.essay_contest.models import Entrant, Griffie, Juror
from services.indicators.models import SurveyInvitation
from services.practiceteam.models import RequestMunicipality, SupportRequest
from services.registration.models import Meeting as Meeting_
from services.registration.models import MeetingSignal, Registration
from shared.problems import PROBLEM_JSON
from shared.settings import Settings
from tests.factories import (
    ESSAY_CONTEST,
    MEETING,
    PRACTICETEAM_REQUEST,
    serving,
    signed_in,
    staff_headers,
)
from tests.integration.test_essay_pages import CONTEST_FORM
from tests.integration.test_guide_api import PDF
from tests.integration.test_guide_pages import ADMIN as GUIDE_ADMIN
from tests.integration.test_guide_pages import GUIDE_FORM, post_file
from tests.integration.test_guide_pages import PAGE as GUIDE_PAGE
from tests.integration.test_practiceteam_pages import FORM as REQUEST_FORM
from tests.integration.test_registration_pages import MEETING_FORM

pytestmark = pytest.mark.services

THE_HAGUE, DEN_BOSCH, SUDWEST = "GM0518", "GM0796", "GM1900"
BERGEN_NH, BERGEN_L = "GM0373", "GM0893"
# Common names, any case, without accents or hyphens: each one municipality.
NAMES = [("Den Haag", THE_HAGUE), ("den bosch", DEN_BOSCH), ("Sudwest Fryslan", SUDWEST)]
PERSON = {"name": "An de Vries", "email": "an@example.nl", "role": "official"}
# While the essay contest of tests.factories is open for sign-ups.
CONTEST_OPEN = datetime(2030, 9, 10, 12, 0, tzinfo=UTC)

Serve = Callable[[str], Flask]


@pytest.fixture
def serve(real_settings: Settings) -> Iterator[Serve]:
    """Any service's app on its own migrated schema, the essay contest's clock while the
    example contest is open; forms without CSRF, as a test client cannot fetch the token."""
    with ExitStack() as stack:

        def app(name: str) -> Flask:
            create_app = import_module(f"services.{name}.app").create_app
            found = stack.enter_context(
                serving(
                    lambda settings: create_app(settings, lambda: CONTEST_OPEN),
                    real_settings,
                    name,
                    "auth",
                )
            )
            found.config["WTF_CSRF_ENABLED"] = False
            return found

        yield app


@pytest.fixture
def staff(real_settings: Settings) -> dict[str, str]:
    return staff_headers(real_settings)


def problem(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    return response.json  # type: ignore[no-any-return]


def stored(app: Flask, query: Any) -> list[Any]:
    with app.extensions["gia"].db.transaction() as session:
        return list(session.scalars(query))


@dataclass
class Meeting:
    """A meeting of the registration service, with seats for every test's registrations."""

    app: Flask
    client: FlaskClient
    id: str


@pytest.fixture
def meeting(serve: Serve, staff: dict[str, str]) -> Meeting:
    app = serve("registration")
    client = app.test_client()
    created = client.post("/api/v1/meetings", json={**MEETING, "capacity": 50}, headers=staff)
    assert created.status_code == 201, created.json
    return Meeting(app, client, created.json["id"])


# -- registration ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "code"), NAMES)
def test_registration_and_walk_in_take_a_name(
    meeting: Meeting, staff: dict[str, str], name: str, code: str
) -> None:
    registered = meeting.client.post(
        f"/api/v1/meetings/{meeting.id}/registrations",
        json={**PERSON, "municipality_code": name},
    )
    assert registered.status_code == 201, registered.json
    assert registered.json["municipality_code"] == code
    walked_in = meeting.client.post(
        f"/api/v1/meetings/{meeting.id}/walk-ins",
        json={"name": "Bo Jansen", "role": "official", "municipality_code": name},
        headers=staff,
    )
    assert walked_in.status_code == 201, walked_in.json
    assert walked_in.json["municipality_code"] == code


def test_an_unknown_name_is_400_listing_the_closest_names_and_registers_no_one(
    meeting: Meeting, staff: dict[str, str]
) -> None:
    refused = meeting.client.post(
        f"/api/v1/meetings/{meeting.id}/registrations",
        json={**PERSON, "municipality_code": "Gouwda"},
    )
    [message] = problem(refused)["errors"]["municipality_code"]
    assert message == "Unknown municipality 'Gouwda'. Did you mean: Gouda?"
    ambiguous = meeting.client.post(
        f"/api/v1/meetings/{meeting.id}/walk-ins",
        json={"name": "Bo Jansen", "role": "official", "municipality_code": "Bergen"},
        headers=staff,
    )
    [message] = problem(ambiguous)["errors"]["municipality_code"]
    assert message.startswith("'Bergen' is the name of more than one municipality.")
    assert "Did you mean: Bergen (NH.), Bergen (L.), Bergen op Zoom" in message
    assert stored(meeting.app, select(Registration)) == []


def test_the_registration_form_takes_a_name_and_suggests_in_dutch(meeting: Meeting) -> None:
    app, client, meeting_id = meeting.app, meeting.client, meeting.id
    form = {**PERSON, "organisation": ""}
    page = client.get(f"/bijeenkomsten/{meeting_id}").get_data(as_text=True)
    assert '<option value="\'s-Gravenhage" data-ook="den haag the hague">' in html.unescape(page)

    refused = client.post(
        f"/bijeenkomsten/{meeting_id}", data={**form, "municipality_code": "Amsterdm"}
    )
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Deze gemeente kennen wij niet. Kies de gemeente die u bedoelt" in shown
    assert candidates(shown)["municipality_code:Amsterdm"][0] == "Amsterdam"
    assert stored(app, select(Registration)) == []

    for name, code in NAMES:
        answer = client.post(
            f"/bijeenkomsten/{meeting_id}",
            data={**form, "email": f"{code}@example.nl", "municipality_code": name},
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)
    codes = [found.municipality_code for found in stored(app, select(Registration))]
    assert sorted(codes) == sorted(code for _, code in NAMES)


# -- praktijkteam ---------------------------------------------------------------------------


def test_a_praktijkteam_request_names_its_municipalities_and_lead(
    serve: Serve, staff: dict[str, str]
) -> None:
    client = serve("practiceteam").test_client()
    names = [name for name, _ in NAMES]
    sent = client.post(
        "/api/v1/requests",
        json={
            **PRACTICETEAM_REQUEST,
            "municipality_codes": [*names, "Bergen (NH)", "bergen l"],
            "lead_municipality_code": "DEN HAAG",
        },
    )
    assert sent.status_code == 201, sent.json
    request = client.get(f"/api/v1/requests/{sent.json['id']}", headers=staff).json
    assert request["municipality_codes"] == [
        *(code for _, code in NAMES),
        BERGEN_NH,
        BERGEN_L,
    ]
    assert request["lead_municipality_code"] == THE_HAGUE
    document = client.get("/api/v1/openapi.json").json
    taken = document["components"]["schemas"]["RequestIn"]["properties"]
    assert taken["municipality_codes"]["items"]["type"] == "string"
    assert taken["lead_municipality_code"]["type"] == "string"


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        (
            {"municipality_codes": ["GM0599", "Schiedm"]},
            "municipality_codes",
            "Unknown municipality 'Schiedm'. Did you mean: Schiedam",
        ),
        (
            {"municipality_codes": ["Den Haag", "GM0518"], "lead_municipality_code": "GM0518"},
            "municipality_codes",
            "Name each municipality once.",
        ),
        (
            {"lead_municipality_code": "Bergen"},
            "lead_municipality_code",
            "Did you mean: Bergen (NH.), Bergen (L.)",
        ),
    ],
)
def test_a_request_naming_no_single_municipality_is_refused_with_candidates(
    serve: Serve, change: dict[str, Any], field: str, fragment: str
) -> None:
    app = serve("practiceteam")
    refused = app.test_client().post("/api/v1/requests", json={**PRACTICETEAM_REQUEST, **change})
    assert fragment in str(problem(refused)["errors"][field])
    assert stored(app, select(SupportRequest)) == []


def test_the_praktijkteam_form_takes_names(serve: Serve) -> None:
    app = serve("practiceteam")
    form = {
        **REQUEST_FORM,
        "municipality_codes": ["Den Haag", "Bergen (L)", "", "", ""],
        "lead_municipality_code": "den haag",
    }
    client = app.test_client()
    refused = client.post("/aanvragen", data={**form, "lead_municipality_code": "Bergen"})
    assert refused.status_code == 422
    assert "Er zijn meer gemeenten met deze naam. Kies de gemeente die u bedoelt." in refused.text
    offered = candidates(refused.text)["lead_municipality_code:Bergen"]
    assert offered[:2] == ["Bergen (Noord-Holland)", "Bergen (Limburg)"]
    answer = client.post("/aanvragen", data=form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert sorted(stored(app, select(RequestMunicipality.code))) == [THE_HAGUE, BERGEN_L]


# -- the essay contest ----------------------------------------------------------------------


def test_a_council_member_and_a_juror_name_their_municipality(
    serve: Serve, staff: dict[str, str]
) -> None:
    client = serve("essay_contest").test_client()
    jury = [{"email": "jurylid@example.nl", "name": "Jurylid", "municipality_code": "den bosch"}]
    created = client.post("/api/v1/contests", json={**ESSAY_CONTEST, "jury": jury}, headers=staff)
    assert created.status_code == 201, created.json
    contest_id = created.json["id"]
    settings = client.get(f"/api/v1/contests/{contest_id}/settings", headers=staff).json
    assert settings["jury"][0]["municipality_code"] == DEN_BOSCH

    person = {"name": "Anna Bakker", "email": "anna@raad.example.nl"}
    refused = client.post(
        f"/api/v1/contests/{contest_id}/entrants",
        json={**person, "municipality_code": "Sudwest Frieslan"},
    )
    [message] = problem(refused)["errors"]["municipality_code"]
    assert "Did you mean: Súdwest-Fryslân" in message
    signed_up = client.post(
        f"/api/v1/contests/{contest_id}/entrants",
        json={**person, "municipality_code": "Sudwest Fryslan"},
    )
    assert signed_up.status_code == 202, signed_up.json
    counts = client.get(f"/api/v1/contests/{contest_id}/municipalities", headers=staff).json
    assert [(row["municipality_code"], row["municipality"]) for row in counts] == [
        (SUDWEST, "Súdwest-Fryslân")
    ]


# -- the indicators' survey invitations ----------------------------------------------------


def test_survey_invitations_name_their_municipality(serve: Serve, staff: dict[str, str]) -> None:
    app = serve("indicators")
    client = app.test_client()
    lines = [
        {"municipality_code": name, "email": f"{number}@example.nl"}
        for number, (name, _) in enumerate(NAMES)
    ]
    twice = [*lines, {"municipality_code": THE_HAGUE, "email": "0@example.nl"}]
    refused = client.post("/api/v1/survey/invitations", json=twice, headers=staff)
    assert problem(refused)["errors"] == {
        "3": {"email": ["This municipality and address are given twice."]}
    }
    unknown = [{"municipality_code": "Bergen", "email": "b@example.nl"}]
    refused = client.post("/api/v1/survey/invitations", json=unknown, headers=staff)
    assert "Bergen (NH.), Bergen (L.)" in problem(refused)["errors"]["0"]["municipality_code"][0]

    sent = client.post("/api/v1/survey/invitations", json=lines, headers=staff)
    assert sent.status_code == 202, sent.json
    codes = [row.municipality_code for row in stored(app, select(SurveyInvitation))]
    assert sorted(codes) == sorted(code for _, code in NAMES)


def test_the_invitation_list_names_a_wrong_line_with_suggestions(serve: Serve) -> None:
    client = serve("indicators").test_client()
    signed_in(client, "staff@minbzk.nl", "staff")
    lines = "Den Haag;a@example.nl\nGoudaa;b@example.nl\nBergen (L.);c@example.nl\n"
    checked = client.post("/uitnodigingen", data={"lines": lines})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 422
    assert "Regel 2: deze gemeente kennen wij niet; bedoelt u: Gouda" in page
    assert "Regel 1" not in page and "Regel 3" not in page


# -- the picker: one component on every form that takes a municipality ------------------------

# Every text input that takes a municipality: by its name, whatever the form.
MUNICIPALITY_INPUT = re.compile(
    r'<input(?=[^>]*\bname="[^"]*municipality_codes?")(?![^>]*type="(?:checkbox|radio)")[^>]*>'
)
PICKER_SCRIPT = '<script src="/static/gia/municipality.js" defer></script>'
# The meeting of tests.factories has begun: signals can be recorded at it.
MEETING_BEGUN = datetime(2030, 10, 10, 9, 0, tzinfo=UTC)
GOUDA = "GM0513"


def staff_client(app: Flask) -> FlaskClient:
    return signed_in(app.test_client(), "staff@minbzk.nl", "staff")


def value_of(page: str, input_id: str) -> str:
    """What the input with ``input_id`` shows."""
    tag = re.search(rf'<input(?=[^>]*\bid="{re.escape(input_id)}")[^>]*>', page)
    assert tag, f"no input {input_id}"
    found = re.search(r'\bvalue="([^"]*)"', tag[0])
    return html.unescape(found[1]) if found else ""


def candidates(page: str) -> dict[str, list[str]]:
    """The names offered as choices, by the name of the radio buttons offering them."""
    offered: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="radio" name="([^"]+)" value="([^"]*)"', page):
        offered.setdefault(html.unescape(name), []).append(html.unescape(value))
    return offered


@pytest.fixture
def form_pages(
    serve: Serve, staff: dict[str, str], meeting: Meeting
) -> list[tuple[FlaskClient, str]]:
    """Every page with a form that takes a municipality, with a client that may see it."""
    registration = staff_client(meeting.app)
    begun = staff_client(serve_at(serve, "registration", MEETING_BEGUN))
    practiceteam = serve("practiceteam").test_client()
    essay = serve("essay_contest")
    created = essay.test_client().post("/api/v1/contests", json=ESSAY_CONTEST, headers=staff)
    assert created.status_code == 201, created.json
    contest_id = created.json["id"]
    guide = staff_client(serve("guide"))
    published(guide)
    return [
        (registration, f"/bijeenkomsten/{meeting.id}"),
        (registration, f"/beheer/bijeenkomsten/{meeting.id}/deur"),
        (registration, "/beheer"),
        (registration, f"/beheer/bijeenkomsten/{meeting.id}"),
        (begun, f"/beheer/bijeenkomsten/{meeting.id}/signalen"),
        (practiceteam, "/aanvragen"),
        (essay.test_client(), f"/wedstrijden/{contest_id}"),
        (staff_client(essay), "/beheer"),
        (staff_client(essay), f"/beheer/wedstrijden/{contest_id}"),
        (staff_client(essay), "/beheer/griffies"),
        (guide, GUIDE_PAGE),
    ]


def serve_at(serve: Serve, name: str, moment: datetime) -> Flask:
    """A second app of the service on the same database, whose clock says ``moment``."""
    app = serve(name)
    app.extensions["gia"].clock = lambda: moment
    return app


def published(staff: FlaskClient) -> None:
    """The guide of the guide's page tests, with an edition to download."""
    announced = staff.post("/beheer/handreikingen", data=GUIDE_FORM)
    assert announced.status_code == 302, announced.text
    edition = post_file(staff, f"{GUIDE_ADMIN}/editie", PDF, published_on="2012-07-01", notes="1")
    assert edition.status_code == 302, edition.text


def test_every_municipality_input_is_the_one_picker(
    form_pages: list[tuple[FlaskClient, str]],
) -> None:
    for client, path in form_pages:
        page = client.get(path).get_data(as_text=True)
        inputs = MUNICIPALITY_INPUT.findall(page)
        assert inputs, path
        for tag in inputs:
            assert "data-gemeente" in tag and 'list="gemeenten"' in tag, (path, tag)
            assert 'autocomplete="off"' in tag, (path, tag)
        assert page.count('<datalist id="gemeenten"') == 1, path
        assert page.count(PICKER_SCRIPT) == 1, path
        names = re.search(r'<datalist id="gemeenten"[^>]*>(.*?)</datalist>', page, re.S)[1]
        assert 'value="Bergen (Noord-Holland)"' in names and 'value="Bergen (Limburg)"' in names
        assert 'value="Gouda"' in names and "GM0" not in names, path
    script = client.get("/static/gia/municipality.js")
    assert script.status_code == 200 and 'setAttribute("role", "combobox")' in script.text


def test_every_form_takes_a_name_typed_in_any_case_without_accents(
    serve: Serve, staff: dict[str, str], meeting: Meeting
) -> None:
    registration = staff_client(meeting.app)
    walked_in = registration.post(
        f"/beheer/bijeenkomsten/{meeting.id}/deur",
        data={**PERSON, "email": "", "municipality_code": "sudwest fryslan"},
    )
    assert walked_in.status_code == 302, walked_in.text
    codes = [found.municipality_code for found in stored(meeting.app, select(Registration))]
    assert codes == [SUDWEST]
    hosted = registration.post(
        "/beheer/bijeenkomsten", data={**MEETING_FORM, "host_municipality_code": "'S-HERTOGENBOSCH"}
    )
    assert hosted.status_code == 302, hosted.text
    hosts = stored(meeting.app, select(Meeting_.host_municipality_code))
    assert DEN_BOSCH in hosts

    begun = staff_client(serve_at(serve, "registration", MEETING_BEGUN))
    signal = {"themes": ["discrimination"], "text": "Zorgen over discriminatie op stage."}
    recorded = begun.post(
        f"/beheer/bijeenkomsten/{meeting.id}/signalen",
        data={**signal, "municipality_codes": ["den haag", "bergen (l)", ""]},
    )
    assert recorded.status_code == 302, recorded.text
    [codes] = stored(meeting.app, select(MeetingSignal.municipality_codes))
    assert sorted(codes) == sorted([THE_HAGUE, BERGEN_L])

    essay = serve("essay_contest")
    created = essay.test_client().post("/api/v1/contests", json=ESSAY_CONTEST, headers=staff)
    griffie = staff_client(essay).post(
        "/beheer/griffies", data={"municipality_code": "den bosch", "email": "griffie@example.nl"}
    )
    assert griffie.status_code == 302, griffie.text
    signed_up = essay.test_client().post(
        f"/wedstrijden/{created.json['id']}",
        data={"name": "Anna Bakker", "email": "anna@raad.example.nl", "municipality_code": "gouda"},
    )
    assert signed_up.status_code == 302, signed_up.text
    assert stored(essay, select(Entrant.municipality_code)) == [GOUDA]
    assert stored(essay, select(Griffie.municipality_code)) == [DEN_BOSCH]
    in_2030 = {
        **{name: value.replace("2012", "2030") for name, value in CONTEST_FORM.items()},
        "jury.0.municipality_code": "S HERTOGENBOSCH",
    }
    judged = staff_client(essay).post("/beheer/wedstrijden", data=in_2030)
    assert judged.status_code == 302, judged.text
    assert DEN_BOSCH in stored(essay, select(Juror.municipality_code))


def test_an_ambiguous_or_unknown_name_comes_back_with_the_candidates_to_choose(
    meeting: Meeting,
) -> None:
    client, path = meeting.client, f"/bijeenkomsten/{meeting.id}"
    form = {**PERSON, "organisation": ""}
    refused = client.post(path, data={**form, "municipality_code": "Bergen"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    error = re.search(r'<div class="field invalid">(.*?)</div>', page, re.S)
    assert error, page
    assert (
        '<span class="field-error" id="municipality_code-fout">Er zijn meer gemeenten met deze '
        "naam. Kies de gemeente die u bedoelt." in error[1]
    )
    assert "Welke gemeente bedoelt u met \u2018Bergen\u2019?" in error[1]
    choices = candidates(error[1])
    assert list(choices) == ["municipality_code:Bergen"]
    assert choices["municipality_code:Bergen"][:2] == ["Bergen (Noord-Holland)", "Bergen (Limburg)"]
    assert value_of(page, "municipality_code") == "Bergen"  # as typed, to type again
    assert stored(meeting.app, select(Registration)) == []

    unknown = client.post(path, data={**form, "municipality_code": "Gouwda"})
    assert "Deze gemeente kennen wij niet" in unknown.text
    assert candidates(unknown.text) == {"municipality_code:Gouwda": ["Gouda"]}

    chosen = client.post(
        path,
        data={
            **form,
            "municipality_code": "Bergen",
            "municipality_code:Bergen": "Bergen (Limburg)",
        },
    )
    assert chosen.status_code == 302, chosen.text
    # A choice offered for other text than is typed now is left aside.
    retyped = client.post(
        path,
        data={
            **form,
            "email": "bo@example.nl",
            "municipality_code": "Den Haag",
            "municipality_code:Bergen": "Bergen (Limburg)",
        },
    )
    assert retyped.status_code == 302, retyped.text
    codes = [found.municipality_code for found in stored(meeting.app, select(Registration))]
    assert sorted(codes) == sorted([BERGEN_L, THE_HAGUE])


def test_one_of_several_municipalities_gets_its_own_candidates(serve: Serve) -> None:
    app = serve("practiceteam")
    client = app.test_client()
    typed = ["Den Haag", "Bergen", "Gouwda", "", ""]
    form = {**REQUEST_FORM, "municipality_codes": typed, "lead_municipality_code": "den haag"}
    refused = client.post("/aanvragen", data=form)
    assert refused.status_code == 422
    offered = candidates(refused.text)
    assert offered["municipality_codes:Bergen"][:2] == [
        "Bergen (Noord-Holland)",
        "Bergen (Limburg)",
    ]
    assert offered["municipality_codes:Gouwda"] == ["Gouda"]
    assert value_of(refused.text, "municipality_codes-0") == "'s-Gravenhage"
    assert value_of(refused.text, "municipality_codes-1") == "Bergen"
    choose = {
        "municipality_codes:Bergen": "Bergen (Noord-Holland)",
        "municipality_codes:Gouwda": "Gouda",
    }
    answer = client.post("/aanvragen", data={**form, **choose})
    assert answer.status_code == 302, answer.text
    codes = stored(app, select(RequestMunicipality.code))
    assert sorted(codes) == sorted([THE_HAGUE, BERGEN_NH, GOUDA])


def test_a_form_shows_the_name_of_a_municipality_never_its_code(
    serve: Serve, staff: dict[str, str], meeting: Meeting
) -> None:
    hosted = {**MEETING, "capacity": 50, "host_municipality_code": BERGEN_NH}
    created = meeting.client.post("/api/v1/meetings", json=hosted, headers=staff)
    assert created.status_code == 201, created.json
    edit = staff_client(meeting.app).get(f"/beheer/bijeenkomsten/{created.json['id']}").text
    assert value_of(edit, "host_municipality_code") == "Bergen (Noord-Holland)"
    assert BERGEN_NH not in edit

    refused = meeting.client.post(
        f"/bijeenkomsten/{meeting.id}",
        data={**PERSON, "email": "geen adres", "organisation": "", "municipality_code": GOUDA},
    )
    assert refused.status_code == 422
    assert value_of(refused.text, "municipality_code") == "Gouda"
    assert GOUDA not in refused.text

    essay = serve("essay_contest")
    jury = [{"email": "jurylid@example.nl", "name": "Jurylid", "municipality_code": SUDWEST}]
    contest = essay.test_client().post(
        "/api/v1/contests", json={**ESSAY_CONTEST, "jury": jury}, headers=staff
    )
    page = staff_client(essay).get(f"/beheer/wedstrijden/{contest.json['id']}").text
    assert value_of(page, "jury.0.municipality_code") == "Súdwest-Fryslân"
