"""Security at the edges of every service, on PostgreSQL: the headers on pages, API answers,
problems, unknown URLs and static files; the session cookie; the proxy in front; and no
metrics on the public port."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from gia.registry import MANIFESTS
from services.registration.app import create_app as registration_app
from shared.manifest import Manifest, resolve
from shared.settings import Settings, load_settings
from tests.factories import serving

CSS = "/static/gia/gia.css"


def check_edges(response: TestResponse, cached: bool = False) -> None:
    headers = response.headers
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["default-src"] == "'self'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert ("no-store" in headers.get("Cache-Control", "")) is not cached
    assert "Strict-Transport-Security" not in headers  # plain HTTP


@pytest.mark.services
@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda found: found.name)
def test_every_response_of_every_service_carries_the_headers(
    manifest: Manifest, real_settings: Settings
) -> None:
    with serving(resolve(manifest.app), real_settings, "auth", manifest.name) as app:
        client = app.test_client()
        page = client.get("/login")
        assert page.status_code == 200 and page.mimetype == "text/html"
        api = client.get("/api/v1/openapi.json")
        assert api.status_code == 200 and api.is_json
        problem = client.post("/api/v1/openapi.json")
        assert problem.status_code == 405 and problem.mimetype == "application/problem+json"
        missing = client.get("/nergens")
        assert missing.status_code == 404
        static = client.get(CSS)
        assert static.status_code == 200 and static.mimetype == "text/css"
        for response in (page, api, problem, missing):
            check_edges(response)
        check_edges(static, cached=True)
        assert client.get("/metrics").status_code == 404


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """Registration on the embedded default, with the variables a test gives as its param."""
    env = {"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40, **request.param}
    with serving(registration_app, load_settings(env), "auth", "registration") as built:
        yield built


def session_cookie(client: FlaskClient, base_url: str, **headers: str) -> str:
    """The Set-Cookie of the session a first visit to the login page starts."""
    response = client.get("/login", base_url=base_url, headers=headers)
    (cookie,) = (
        value for value in response.headers.getlist("Set-Cookie") if "gia_session=" in value
    )
    return cookie


NO_PROXY = pytest.mark.parametrize("app", [{}], indirect=True)
ONE_PROXY = pytest.mark.parametrize("app", [{"GIA_PROXY_HOPS": "1"}], indirect=True)


@NO_PROXY
def test_the_session_cookie_is_secure_over_https_and_still_works_over_http(app: Flask) -> None:
    client = app.test_client()
    plain = session_cookie(client, "http://localhost")
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    assert "Secure" in session_cookie(app.test_client(), "https://localhost")
    secure = app.test_client().get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("app", [{"GIA_SECURE_COOKIES": "always"}], indirect=True)
def test_a_deployment_can_make_the_session_cookie_always_secure(app: Flask) -> None:
    assert "Secure" in session_cookie(app.test_client(), "http://localhost")


@NO_PROXY
def test_without_a_trusted_proxy_forwarded_headers_count_for_nothing(app: Flask) -> None:
    client = app.test_client()
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Secure" not in session_cookie(client, "http://localhost", **forged)
    response = client.get("/login", headers=forged)
    assert "Strict-Transport-Security" not in response.headers


@ONE_PROXY
def test_behind_the_trusted_proxy_its_client_and_https_are_seen(app: Flask) -> None:
    seen: dict[str, object] = {}

    @app.before_request
    def _look() -> None:
        seen.update(address=request.remote_addr, secure=request.is_secure)

    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    assert "Secure" in session_cookie(app.test_client(), "http://localhost", **forwarded)
    assert seen == {"address": "203.0.113.9", "secure": True}
    response = app.test_client().get("/login", headers=forwarded)
    assert "Strict-Transport-Security" in response.headers


@NO_PROXY
def test_the_door_page_takes_its_script_from_the_service_itself(app: Flask) -> None:
    script = app.test_client().get("/static/registration/door.js")
    assert script.status_code == 200 and "data-zoek" in script.get_data(as_text=True)
    assert script.mimetype in ("text/javascript", "application/javascript")


def test_no_template_needs_inline_script_or_style() -> None:
    """What the policy would block: script or style written into a page itself."""
    root = Path(__file__).resolve().parents[2]
    inline = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", re.I)
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for folder in ("services", "shared")
        for path in (root / folder).rglob("templates/**/*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
