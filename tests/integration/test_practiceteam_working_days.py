"""A praktijkteam request's intake deadline skips Dutch public holidays, in what the municipality
sees through its link: the API and the tracking page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from services.practiceteam.app import create_app
from services.practiceteam.models import SupportRequest
from shared.clock import AMSTERDAM
from shared.db import Database
from shared.settings import Settings
from tests.factories import PRACTICETEAM_REQUEST, path_of, serving

pytestmark = pytest.mark.services

# Friday 18 December 2026, in the afternoon: Christmas and New Year's Day are Fridays.
SUBMITTED = datetime(2026, 12, 18, 15, 30, tzinfo=AMSTERDAM)


@pytest.fixture
def client(real_settings: Settings) -> Iterator[FlaskClient]:
    with serving(create_app, real_settings, "auth", "practiceteam") as app:
        yield app.test_client()


def test_a_request_of_18_december_2026_is_due_for_intake_on_5_january_2027(
    client: FlaskClient, real_settings: Settings
) -> None:
    created = client.post("/api/v1/requests", json=PRACTICETEAM_REQUEST)
    assert created.status_code == 201, created.json
    db = Database.for_service(real_settings, "practiceteam")
    with db.transaction() as session:
        session.execute(
            update(SupportRequest)
            .where(SupportRequest.id == created.json["id"])
            .values(created_at=SUBMITTED, status_changed_at=SUBMITTED)
        )
    db.dispose()

    seen = client.get(path_of(created.json["links"]["self"]))
    assert seen.status_code == 200, seen.json
    assert seen.json["next_step"] == {"step": "intake", "expected_on": "2027-01-05"}
    tracking = client.get(path_of(created.json["links"]["tracking"]))
    assert "verwacht uiterlijk op <strong>05-01-2027</strong>" in tracking.get_data(as_text=True)
