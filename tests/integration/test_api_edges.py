"""Input at the edges of what the APIs take: each answered with a 4xx problem, never a 500,
and nothing stored. Each case here was once a server error."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from importlib import import_module
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from gia.registry import SERVICES
from shared.problems import PROBLEM_JSON
from shared.settings import Settings, load_settings
from tests.factories import (
    ESSAY_CONTEST,
    MEETING,
    PRACTICETEAM_REQUEST,
    serving,
    staff_headers,
)

Serve = Callable[[str], FlaskClient]


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The embedded SQLite default; PostgreSQL where a test asks for it."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return request.getfixturevalue("real_settings")
    return load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})


@pytest.fixture
def serve(settings: Settings) -> Iterator[Serve]:
    """A test client for any service, on its own migrated database, closed afterwards."""
    with ExitStack() as stack:

        def client(name: str) -> FlaskClient:
            create_app = import_module(f"services.{name}.app").create_app
            return stack.enter_context(serving(create_app, settings, name, "auth")).test_client()

        yield client


@pytest.fixture
def staff(settings: Settings) -> dict[str, str]:
    return staff_headers(settings)


def problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.mimetype == PROBLEM_JSON  # type: ignore[attr-defined]
    return response.json  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize("name", SERVICES)
def test_errors_are_documented_as_the_problem_json_they_are(serve: Serve, name: str) -> None:
    document = serve(name).get("/api/v1/openapi.json").json
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == [PROBLEM_JSON]
    shape = document["components"]["schemas"]["Problem"]
    assert shape["properties"]["status"]["type"] == "integer"
    assert set(shape["required"]) == {"type", "title", "status", "detail"}


def test_a_body_that_is_not_json_is_400_saying_so(serve: Serve, staff: dict[str, str]) -> None:
    response = serve("registration").post(
        "/api/v1/meetings", data="{nee", headers={**staff, "Content-Type": "application/json"}
    )
    body = problem(response, 400)
    assert body["detail"] == "Invalid JSON body."
    assert "errors" not in body


def test_wrong_items_of_a_list_are_named_by_their_position(serve: Serve) -> None:
    """marshmallow names them by number next to the list's own ``_schema`` message: in JSON
    both are text, and mixing them once made the error itself fail."""
    data = {**PRACTICETEAM_REQUEST, "municipality_codes": ["GM0599", 0, "GM0599"]}
    body = problem(serve("practiceteam").post("/api/v1/requests", json=data), 400)
    assert set(body["errors"]["municipality_codes"]) == {"1", "_schema"}  # type: ignore[index]


@pytest.mark.parametrize("query", ["older_than_days=1000000", "page=1000000000000000000"])
def test_a_queue_filter_past_any_date_or_page_is_400(
    serve: Serve, staff: dict[str, str], query: str
) -> None:
    body = problem(serve("practiceteam").get(f"/api/v1/requests?{query}", headers=staff), 400)
    assert query.split("=")[0] in body["errors"]  # type: ignore[operator]


def test_a_planned_date_outside_this_century_is_400(serve: Serve, staff: dict[str, str]) -> None:
    """One at the end of the calendar made every later look at the request fail."""
    move = {"to": "planned", "dates": [{"date": "9999-12-31"}]}
    path = f"/api/v1/requests/{uuid.uuid4()}/transitions"
    body = problem(serve("practiceteam").post(path, json=move, headers=staff), 400)
    assert body["errors"] == {"dates": {"0": {"date": ["Use a date between 2000 and 2099."]}}}


@pytest.mark.parametrize(
    "starts_at", ["9999-12-31T20:00:00-05:00", "0001-01-01T01:00:00+05:00", "1999-12-31T10:00Z"]
)
def test_a_time_outside_this_century_is_400_and_stores_nothing(
    serve: Serve, staff: dict[str, str], starts_at: str
) -> None:
    """At the ends of the calendar, with an offset, a time could not even be put in UTC."""
    client = serve("registration")
    meeting = {**MEETING, "starts_at": starts_at, "ends_at": starts_at}
    body = problem(client.post("/api/v1/meetings", json=meeting, headers=staff), 400)
    assert body["errors"]["starts_at"] == ["Use a date and time between 2000 and 2099."]  # type: ignore[index]
    assert client.get("/api/v1/meetings").json == []


def test_a_juror_with_a_wrong_address_is_400(serve: Serve, staff: dict[str, str]) -> None:
    contest = {**ESSAY_CONTEST, "jury": [{"email": "geen adres", "name": "Jurylid"}]}
    body = problem(
        serve("essay_contest").post("/api/v1/contests", json=contest, headers=staff), 400
    )
    assert "email" in body["errors"]["jury"]["0"]  # type: ignore[index]


def test_a_change_names_each_juror_whole(serve: Serve, staff: dict[str, str]) -> None:
    """A change may leave out any of a contest's fields, not a juror's e-mail address."""
    client = serve("essay_contest")
    created = client.post("/api/v1/contests", json=ESSAY_CONTEST, headers=staff)
    assert created.status_code == 201, created.get_data(as_text=True)
    path = f"/api/v1/contests/{created.json['id']}"
    change = {"jury": [{"name": "Jurylid Zonder Adres"}]}
    body = problem(client.patch(path, json=change, headers=staff), 400)
    assert body["errors"] == {"jury": {"0": {"email": ["Missing data for required field."]}}}
    settings = client.get(f"{path}/settings", headers=staff).json
    assert settings["jury"] == [{**ESSAY_CONTEST["jury"][0], "municipality_code": None}]


@pytest.mark.services
@pytest.mark.parametrize("settings", ["postgresql"], indirect=True)
def test_text_with_a_nul_character_is_400_and_stores_nothing(
    serve: Serve, staff: dict[str, str]
) -> None:
    """PostgreSQL stores no NUL character: it got as far as the database, which refused it."""
    client = serve("registration")
    meeting = {**MEETING, "title": "Regio\x00bijeenkomst"}
    body = problem(client.post("/api/v1/meetings", json=meeting, headers=staff), 400)
    assert body["errors"] == {"title": ["Text may not contain the NUL character (U+0000)."]}
    assert client.get("/api/v1/meetings").json == []
    path = f"/api/v1/registrations/{uuid.uuid4()}?token=a%00b"
    # Staff get past the link check, which comes first, to the query's own check.
    assert "token" in problem(client.get(path, headers=staff), 400)["errors"]  # type: ignore[operator]


def test_a_request_answers_as_its_document_says(serve: Serve, staff: dict[str, str]) -> None:
    """Withdrawn by staff, a request comes back in the staff's view, not yet erased."""
    client = serve("practiceteam")
    created = client.post("/api/v1/requests", json=PRACTICETEAM_REQUEST).json
    path = f"/api/v1/requests/{created['id']}/withdraw"
    withdrawn = client.post(path, json={}, headers=staff).json
    assert withdrawn["erased_at"] is None
    assert "allowed_next" in withdrawn
    document = client.get("/api/v1/openapi.json").json
    answer = document["paths"]["/api/v1/requests/{request_id}/withdraw"]["post"]["responses"]
    assert answer["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StaffRequestView"
    }
    erased_at = document["components"]["schemas"]["StaffRequestView"]["properties"]["erased_at"]
    assert erased_at["nullable"] is True
