"""Every operation of the APIs, fuzzed from its own OpenAPI document.

Whatever a caller sends, with or without a staff token, the answer is never a server
error, and it has the content type and the shape the document promises: success bodies
as their schema, errors as problem+json. Runs on the embedded SQLite default with a
fixed seed and a few examples per operation, so it is quick and gives the same cases
every run.

Every operation is fuzzed, the praktijkteam's multipart upload too: its generated files
are refused by their content, which is a 4xx like any other. The operations are walked
here rather than through ``schemathesis.pytest.from_fixture``, whose runner sets a private
attribute of pytest's test items that pytest 9.2 no longer has.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from importlib import import_module
from itertools import product
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from gia.registry import SERVICES
from shared.settings import load_settings
from tests.factories import (
    ESSAY_CONTEST,
    MEETING,
    PERSON,
    PRACTICETEAM_REQUEST,
    serving,
    staff_headers,
)
from tests.integration.test_guide_api import GUIDE, PDF

CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
FUZZING = settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
)
Staff = dict[str, str]


def _meeting_and_registration(client: FlaskClient, staff: Staff) -> dict[str, str]:
    meeting = client.post("/api/v1/meetings", json={**MEETING, "capacity": 5000}, headers=staff)
    path = f"/api/v1/meetings/{meeting.json['id']}/registrations"
    registration = client.post(path, json=PERSON)
    return {"meeting_id": meeting.json["id"], "registration_id": registration.json["id"]}


def _request(client: FlaskClient, staff: Staff) -> dict[str, str]:
    return {"request_id": client.post("/api/v1/requests", json=PRACTICETEAM_REQUEST).json["id"]}


def _contest(client: FlaskClient, staff: Staff) -> dict[str, str]:
    created = client.post("/api/v1/contests", json=ESSAY_CONTEST, headers=staff)
    return {"contest_id": created.json["id"]}


def _municipality(client: FlaskClient, staff: Staff) -> dict[str, str]:
    return {"code": "GM0599"}


def _guide(client: FlaskClient, staff: Staff) -> dict[str, str]:
    """A guide with an edition and a toolbox item, so that downloads find a file."""
    guide = client.post("/api/v1/guides", json=GUIDE, headers=staff).json["id"]
    day = {"published_on": "2012-07-01"}
    added = [
        client.post(
            f"/api/v1/guides/{guide}/{kind}",
            data={**fields, "file": (io.BytesIO(PDF), "deel.pdf")},
            headers=staff,
            content_type="multipart/form-data",
        ).json["id"]
        for kind, fields in (
            ("editions", day),
            ("toolbox-items", {**day, "title": "Tip", "themes": ["discrimination"]}),
        )
    ]
    return {"guide_id": guide, "number": "1", "item_id": added[1], "file_id": added[0]}


# Per service: something that exists, made through its API, as the path parameters naming it,
# so that operations answer about things that exist as well as about unknown ones.
EXISTING: dict[str, Callable[[FlaskClient, Staff], dict[str, str]]] = {
    "registration": _meeting_and_registration,
    "practiceteam": _request,
    "essay_contest": _contest,
    "indicators": _municipality,
    "guide": _guide,
}


@pytest.fixture(scope="module", params=SERVICES)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    name: str = request.param
    var_dir: Path = tmp_path_factory.mktemp(name)
    service_settings = load_settings({"GIA_VAR_DIR": str(var_dir), "GIA_SECRET_KEY": "k" * 40})
    create_app = import_module(f"services.{name}.app").create_app
    with serving(create_app, service_settings, name, "auth") as app:
        yield app


@pytest.fixture(params=["anonymous", "staff"])
def api(request: pytest.FixtureRequest, app: Flask) -> schemathesis.BaseSchema:
    """The service's API as one caller uses it: without a token, or with a staff token."""
    api = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    if request.param == "staff":
        api.config.update(headers=staff_headers(app.extensions["gia"].settings))
    return api


@pytest.fixture(scope="module")
def existing(app: Flask) -> dict[str, str]:
    context = app.extensions["gia"]
    return EXISTING[context.name](app.test_client(), staff_headers(context.settings))


def fuzz(
    operation: schemathesis.APIOperation, mode: GenerationMode, path_parameters: dict[str, str]
) -> None:
    """One operation, with data that fits its documented input (positive) or does not, on
    the things ``path_parameters`` names or on made-up ones."""

    @FUZZING
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    call()


def test_no_operation_fails_on_what_a_caller_may_send(
    api: schemathesis.BaseSchema, existing: dict[str, str]
) -> None:
    failures = []
    for result in api.get_all_operations():
        operation = result.ok()
        named = {key: value for key, value in existing.items() if f"{{{key}}}" in operation.path}
        for mode, path_parameters in product(GenerationMode, [{}, named] if named else [{}]):
            try:
                fuzz(operation, mode, path_parameters)
            except Unsatisfiable:
                # An operation that takes no input at all has no wrong input to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, FailureGroup) as failure:
                failures.append(f"{operation.label} ({mode}): {failure!r}\n{failure}")
    assert not failures, "\n\n".join(failures)


def test_linked_operations_keep_to_the_document(api: schemathesis.BaseSchema) -> None:
    """Chains of calls that use what an earlier answer gave (a new meeting's id, say), so
    operations also answer about things that exist, not only about unknown ids."""

    class Workflow(api.as_state_machine()):  # type: ignore[misc]
        def validate_response(
            self, response: schemathesis.Response, case: schemathesis.Case, *_: Any, **__: Any
        ) -> None:
            case.validate_response(response, checks=CHECKS)

    Workflow.run(settings=settings(FUZZING, max_examples=10, stateful_step_count=6))
