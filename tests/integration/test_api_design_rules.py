"""The Dutch government's API Design Rules (ADR 2.1.0 and the 2.2 draft), checked over each
service's OpenAPI document and over live answers. Each test is named after the rule it
checks (the ADR's own ruleset is not on the package registries these machines reach)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gia.registry import SERVICES, manifest
from shared.settings import load_settings
from shared.web.service import API_PREFIX, API_VERSION, OPENAPI_PATH
from tests.factories import PRACTICETEAM_REQUEST, serving, staff_headers

SEMANTIC = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


@pytest.fixture(scope="module", params=SERVICES)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    name: str = request.param
    var_dir: Path = tmp_path_factory.mktemp(name)
    settings = load_settings(
        {
            "GIA_VAR_DIR": str(var_dir),
            "GIA_SECRET_KEY": "k" * 40,
            f"GIA_{name.upper()}_URL": f"https://{name}.gia.example.org",
        }
    )
    create_app = import_module(f"services.{name}.app").create_app
    with serving(create_app, settings, name, "auth") as app:
        yield app


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def document(client: FlaskClient) -> dict[str, Any]:
    answer = client.get(OPENAPI_PATH)
    assert answer.status_code == 200
    return answer.json  # type: ignore[no-any-return]


def some_answers(client: FlaskClient, app: Flask, document: dict[str, Any]) -> list[Any]:
    """A read of each parameterless GET operation, for staff and anonymously, an unknown path,
    a page and the document itself: answers of every kind."""
    staff = staff_headers(app.extensions["gia"].settings)
    reads = [path for path, item in document["paths"].items() if "get" in item and "{" not in path]
    return [
        *(client.get(path, headers=staff) for path in reads),
        *(client.get(path) for path in reads),
        client.get(f"{API_PREFIX}/bestaat-niet"),
        client.get("/"),
        client.get(OPENAPI_PATH),
    ]


def test_core_version_header(client: FlaskClient, app: Flask, document: dict[str, Any]) -> None:
    """/core/version-header: every answer names the API's whole semantic version."""
    answers = some_answers(client, app, document)
    assert len(answers) > 4
    for answer in answers:
        assert answer.headers.get("API-Version") == API_VERSION, answer.request.path


def test_core_semver(document: dict[str, Any]) -> None:
    """/core/semver: info.version is a semantic version, and the paths carry its major."""
    version = document["info"]["version"]
    assert SEMANTIC.fullmatch(version) and version == API_VERSION
    major = version.split(".")[0]
    assert all(path.startswith(f"/api/v{major}/") for path in document["paths"])


def test_core_uri_version(document: dict[str, Any]) -> None:
    """/core/uri-version: the major version, and only the major, in the base path."""
    assert f"/api/v{API_VERSION.split('.')[0]}" == API_PREFIX
    assert all(re.match(r"^/api/v\d+/", path) for path in document["paths"])


def test_core_doc_openapi_servers(app: Flask, document: dict[str, Any]) -> None:
    """/core/doc-openapi: the document says where the API is served."""
    name = app.extensions["gia"].name
    assert [server["url"] for server in document["servers"]] == [f"https://{name}.gia.example.org"]
    assert manifest(name).title == document["info"]["title"]


def test_core_doc_openapi_contact(document: dict[str, Any]) -> None:
    """/core/doc-openapi (info.contact): who answers questions about the API."""
    contact = document["info"]["contact"]
    assert contact["name"] and re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", contact["email"])


def test_core_publish_openapi_cors(client: FlaskClient) -> None:
    """/core/publish-openapi: the document is at openapi.json and other sites may read it."""
    answer = client.get(OPENAPI_PATH, headers={"Origin": "https://elders.example.org"})
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    # only the document: the API's own answers are not opened to other sites
    assert "Access-Control-Allow-Origin" not in client.get(f"{API_PREFIX}/bestaat-niet").headers


HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each operation of the document, labelled ``METHOD path``."""
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_core_doc_openapi_description(document: dict[str, Any]) -> None:
    """/core/doc-openapi (info.description): the document says what the API is for."""
    assert len(document["info"].get("description", "").split()) >= 5


def test_core_doc_openapi_operation_ids(document: dict[str, Any]) -> None:
    """/core/doc-openapi (operationId): every operation is named, in camelCase and once in
    its document, so that generated clients and links between operations can name it."""
    ids = [operation.get("operationId", "") for _, operation in operations(document)]
    assert ids and all(re.fullmatch(r"[a-z][a-zA-Z0-9]*", name) for name in ids), ids
    assert len(set(ids)) == len(ids), sorted(ids)


def test_core_doc_openapi_descriptions(document: dict[str, Any]) -> None:
    """/core/doc-openapi (summary, description): every operation says in one line what it
    does, and beside it for what and who may call it (flask-smorest takes both from the view's
    docstring)."""
    for label, operation in operations(document):
        summary, description = operation.get("summary", ""), operation.get("description", "")
        assert summary and "\n" not in summary and len(summary) <= 80, label
        assert len(description.split()) >= 5 and description != summary, label


# What invalidParams' codes may be (shared.web.errors.CODES, and "invalid" for the rest).
CODES = {"required", "null", "unknown", "parse_error", "too_long", "too_short", "length"}
CODES |= {"choice", "range", "invalid"}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def json_operations(app: Flask, document: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """Each operation that takes a JSON body and that a bearer token opens (or no one
    guards), as method, a concrete path and the headers of a caller it lets in."""
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":  # the path's own, not an operation
                continue
            content = operation.get("requestBody", {}).get("content", {})
            security = operation.get("security", [])
            if "application/json" not in content or security == [{}]:
                continue
            roles = operation.get("x-roles", ["staff"])
            headers = staff_headers(app.extensions["gia"].settings, roles[0]) if security else {}
            concrete = re.sub(r"\{[a-z_]*_id\}", str(uuid.uuid4()), path)
            concrete = re.sub(r"\{(year|number)\}", "2012", concrete).replace("{handle}", "A1")
            concrete = re.sub(r"\{(code|municipality)\}", "GM0599", concrete)
            found.append((method, concrete, headers))
    assert found
    return found


def test_core_problem_details_400_with_invalid_params(
    client: FlaskClient, app: Flask, document: dict[str, Any]
) -> None:
    """/core/problem-details (400): invalid input is 400, and ``invalidParams`` lists every
    error with the field's name, a code for programs and a reason for people."""
    for method, path, headers in json_operations(app, document):
        wrong = client.open(path, method=method, json="geen object", headers=headers)
        assert wrong.status_code == 400, (method, path, wrong.json)
        assert wrong.mimetype == "application/problem+json"
        params = wrong.json["invalidParams"]
        assert params and all(set(param) == {"name", "code", "reason"} for param in params)
        assert {param["code"] for param in params} <= CODES, params
        assert all(param["name"] and param["reason"] for param in params), params
    method, path, headers = json_operations(app, document)[0]
    not_json = client.open(
        path, method=method, data="{nee", headers={**headers, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    assert not_json.json["invalidParams"] == [
        {"name": "body", "code": "parse_error", "reason": "Invalid JSON body."}
    ]


@pytest.mark.parametrize("app", ["practiceteam"], indirect=True)
def test_core_problem_details_400_names_nested_fields(client: FlaskClient) -> None:
    """/core/problem-details (400): a nested field is named by its dotted path (the
    practiceteam's request has a list and a nested object)."""
    request = {**PRACTICETEAM_REQUEST, "municipality_codes": ["GM0599", 0]}
    request["contact"] = {**request["contact"], "email": "geen adres"}
    params = client.post(f"{API_PREFIX}/requests", json=request).json["invalidParams"]
    assert {(param["name"], param["code"]) for param in params} == {
        ("municipality_codes.1", "invalid"),
        ("contact.email", "invalid"),
    }


def test_core_media_type_415(client: FlaskClient, app: Flask, document: dict[str, Any]) -> None:
    """/core/media-type: a body of another type than the JSON an operation takes is 415,
    said as a problem; not read as no body at all."""
    for method, path, headers in json_operations(app, document):
        form = client.open(path, method=method, data={"name": "x"}, headers=headers)
        assert form.status_code == 415, (method, path, form.json)
        assert form.mimetype == "application/problem+json"
        assert "application/json" in form.json["detail"]


def test_core_problem_detail_always(
    client: FlaskClient, app: Flask, document: dict[str, Any]
) -> None:
    """/core/problem-details: every problem has type, title, status and a detail that says
    what went wrong, and the document says so."""
    answers = [
        *some_answers(client, app, document),
        client.delete(OPENAPI_PATH),  # 405
        client.get(f"{API_PREFIX}/bestaat-niet", headers={"Accept": "application/json"}),
        *(
            client.open(path, method=method, json=None, data="x", headers=headers)
            for method, path, headers in json_operations(app, document)
        ),
    ]
    problems = [answer for answer in answers if answer.mimetype == "application/problem+json"]
    assert len(problems) > 3
    for answer in problems:
        body = answer.json
        assert {"type", "title", "status", "detail"} <= set(body), body
        assert body["status"] == answer.status_code
        assert isinstance(body["detail"], str) and len(body["detail"].split()) >= 2, body
    required = document["components"]["schemas"]["Problem"]["required"]
    assert {"type", "title", "status", "detail"} <= set(required)


def test_core_doc_openapi_error_responses(document: dict[str, Any]) -> None:
    """/core/doc-openapi: each operation documents the errors it can answer, as problem+json:
    400 where it takes input, 401 where a bearer token opens it, 403 where anything guards
    it, 404 where its path names a thing, 413 for a body and 415 for a JSON one; 429 (where
    a limit applies) with when to try again."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            security = operation.get("security", [])
            parameters = [p["in"] for p in operation.get("parameters", [])]
            body = operation.get("requestBody", {}).get("content", {})
            wanted = {
                "400": bool(body) or "query" in parameters,
                "401": any("bearer" in requirement for requirement in security),
                "403": bool(security),
                "404": "{" in path,
                "413": bool(body),
                "415": "application/json" in body,
            }
            missing = [status for status, applies in wanted.items() if applies]
            missing = [status for status in missing if status not in responses]
            assert missing == [], (method, path, missing)
            for status, response in responses.items():
                if status == "default" or int(status) < 400:
                    continue
                found = response.get("$ref", "").rsplit("/", 1)[-1]
                shown = document["components"]["responses"].get(found, response)
                assert shown.get("description"), (method, path, status)
                assert shown.get("content") == PROBLEM, (method, path, status, shown)
                if status == "429":
                    assert "Retry-After" in shown["headers"], (method, path)
