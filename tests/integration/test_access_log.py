"""One JSON access line per request, with its request id and never its query string."""

from __future__ import annotations

import logging

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
