"""Authentication before validation: every operation for a role answers an anonymous caller
401 before reading the body, whatever the order of the decorators on its view. The operations
are found from each app's URL map, so new ones are covered too."""

from __future__ import annotations

import uuid
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter, Rule, UUIDConverter

from gia.registry import MANIFESTS
from shared.settings import load_settings
from shared.web.auth import REQUIRED_ROLES
from shared.web.service import create_service_app


def value_for(converter: object) -> object:
    if isinstance(converter, IntegerConverter):
        return 2030
    return uuid.uuid4() if isinstance(converter, UUIDConverter) else "GM0599"


def protected_writes(app: Flask) -> list[tuple[Rule, str]]:
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions[rule.endpoint], REQUIRED_ROLES, None)
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"})
    ]


def test_anonymous_writes_with_an_invalid_body_get_401_not_422(tmp_path: Path) -> None:
    settings = load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})
    answered: dict[str, int] = {}
    for manifest in MANIFESTS:
        app = create_service_app(manifest, settings)
        urls = app.url_map.bind("localhost")
        client = app.test_client()
        for rule, method in protected_writes(app):
            values = {name: value_for(found) for name, found in rule._converters.items()}
            url = urls.build(rule.endpoint, values, method=method)
            response = client.open(url, method=method, json={"not a field": [None]})
            answered[f"{manifest.name} {method} {rule.rule}"] = response.status_code
    assert "registration POST /api/v1/meetings" in answered  # its body is parsed first
    assert len(answered) > 20
    assert {operation: status for operation, status in answered.items() if status != 401} == {}
