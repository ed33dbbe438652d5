"""One JSON access line per request, with its request id and never its query string."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask

# Made before the test runs: the app sets up the root logger, caplog joins it after.
from tests.integration.test_registration_concurrency import app  # noqa: F401

pytestmark = pytest.mark.services


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/v1/meetings", 200), ("POST", "/api/v1/meetings", 401)],
)
def test_each_request_writes_one_access_line_without_its_query(
    app: Flask,  # noqa: F811  (the imported fixture)
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    status: int,
) -> None:
    caplog.set_level(logging.INFO, logger="gia.access")
    response = app.test_client().open(
        f"{path}?token=geheim-persoonlijk", method=method, headers={"X-Request-ID": "req-15"}
    )
    assert response.status_code == status
    [line] = [record for record in caplog.records if record.name == "gia.access"]
    assert line.levelno == logging.INFO
    assert (line.request_id, line.method, line.path, line.status) == (
        "req-15",
        method,
        path,
        status,
    )
    assert isinstance(line.duration_ms, float) and 0 <= line.duration_ms < 10_000
    assert "geheim" not in caplog.text and "geheim" not in repr(vars(line))


@pytest.mark.parametrize("given", ["", "x" * 65, "id met spaties", "idé-met-accent", '"}{"level"'])
def test_a_request_id_that_is_no_id_is_replaced(
    app: Flask,  # noqa: F811  (the imported fixture)
    given: str,
) -> None:
    answered = app.test_client().get("/api/v1/meetings", headers={"X-Request-ID": given})
    made = answered.headers["X-Request-ID"]
    assert made != given and re.fullmatch(r"[0-9a-f-]{36}", made)


def test_the_request_id_of_the_proxy_in_front_is_kept(app: Flask) -> None:  # noqa: F811
    nginx_id = "6b1c2f0d9e8a4b7c8d9e0f1a2b3c4d5e"
    answered = app.test_client().get("/api/v1/meetings", headers={"X-Request-ID": nginx_id})
    assert answered.headers["X-Request-ID"] == nginx_id
