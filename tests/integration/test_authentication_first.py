"""Authentication before validation: every operation for a role, or opened by a personal
link, refuses an anonymous caller (401/403) before reading the body, whatever the order of
the decorators on its view. The operations are found from each app's URL map, so new ones
are covered too."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter, Rule, UUIDConverter

from gia.registry import MANIFESTS
from shared.settings import load_settings
from shared.web.auth import ACCESS_CHECK, REQUIRED_ROLES
from shared.web.service import create_service_app


def value_for(converter: object) -> object:
    if isinstance(converter, IntegerConverter):
        return 2030
    return uuid.uuid4() if isinstance(converter, UUIDConverter) else "GM0599"


def protected_writes(app: Flask, mark: str) -> list[tuple[Rule, str]]:
    """The writes whose views carry ``mark`` (``REQUIRED_ROLES`` or ``ACCESS_CHECK``)."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], mark, None)
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"})
    ]


def anonymous_answers(var_dir: Path, mark: str) -> dict[str, int]:
    """The status of each such write, called without a token and with an invalid body."""
    settings = load_settings({"GIA_VAR_DIR": str(var_dir), "GIA_SECRET_KEY": "k" * 40})
    answered: dict[str, int] = {}
    for manifest in MANIFESTS:
        app = create_service_app(manifest, settings)
        urls = app.url_map.bind("localhost")
        client = app.test_client()
        for rule, method in protected_writes(app, mark):
            values = {name: value_for(found) for name, found in rule._converters.items()}
            url = urls.build(rule.endpoint, values, method=method)
            response = client.open(url, method=method, json={"not a field": [None]})
            answered[f"{manifest.name} {method} {rule.rule}"] = response.status_code
    return answered


def test_anonymous_writes_with_an_invalid_body_get_401_not_400(tmp_path: Path) -> None:
    answered = anonymous_answers(tmp_path, REQUIRED_ROLES)
    assert "registration POST /api/v1/meetings" in answered  # its body is parsed first
    assert len(answered) > 20
    assert {operation: status for operation, status in answered.items() if status != 401} == {}


def test_anonymous_writes_a_link_opens_refuse_before_reading_the_body(tmp_path: Path) -> None:
    """401 or 403 (where a token may stand in for the link), never 400 about the body."""
    answered = anonymous_answers(tmp_path, ACCESS_CHECK)
    assert "practiceteam POST /api/v1/requests/<uuid:request_id>/attachments" in answered
    assert "indicators POST /api/v1/municipalities/<string:code>/survey" in answered
    assert len(answered) > 10
    refused = (401, 403)
    assert {
        operation: status for operation, status in answered.items() if status not in refused
    } == {}
