"""The Dutch government's API Design Rules (ADR 2.1.0 and the 2.2 draft), checked over each
service's OpenAPI document and over live answers. Each test is named after the rule it
checks (the ADR's own ruleset is not on the package registries these machines reach)."""

from __future__ import annotations

import re
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
from tests.factories import serving, staff_headers

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
