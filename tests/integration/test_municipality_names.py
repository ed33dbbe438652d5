"""Municipalities by name, on PostgreSQL: every API and form that takes a municipality reads
"Den Haag", "den bosch" or "Sudwest Fryslan" as its CBS code through the one resolver, and
refuses a name it does not know with the closest names to choose from."""

from __future__ import annotations

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

from services.indicators.models import SurveyInvitation
from services.practiceteam.models import RequestMunicipality, SupportRequest
from services.registration.models import Registration
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
from tests.integration.test_practiceteam_pages import FORM as REQUEST_FORM

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


def problem(response: Any, status: int = 422) -> dict[str, Any]:
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


def test_an_unknown_name_is_422_listing_the_closest_names_and_registers_no_one(
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
    assert '<option value="\'s-Gravenhage">Zuid-Holland</option>' in page.replace("&#39;", "'")

    refused = client.post(
        f"/bijeenkomsten/{meeting_id}", data={**form, "municipality_code": "Amsterdm"}
    )
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert (
        '<span class="field-error" id="municipality_code-fout">'
        "Deze gemeente kennen wij niet. Bedoelt u: Amsterdam," in shown
    )
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
    assert (
        "Er zijn meer gemeenten met deze naam. Bedoelt u: Bergen (NH.), Bergen (L.)"
        in refused.get_data(as_text=True)
    )
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
