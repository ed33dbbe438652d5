"""Two staff members moving one request at the same moment, on PostgreSQL: one move wins,
the other gets 409, and the history and the outbox hold the winner only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from services.practiceteam.app import create_app
from services.practiceteam.models import Outbox
from shared.settings import Settings
from tests.factories import PRACTICETEAM_REQUEST, all_at_once, serving, staff_headers

pytestmark = pytest.mark.services

ROUNDS = 5


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    with serving(create_app, real_settings, "practiceteam") as app:
        yield app


def at_once(app: Flask, request_id: str, moves: list[dict[str, Any]], staff: Any) -> list[Any]:
    """Each move from its own thread and connection, released together."""
    url = f"/api/v1/requests/{request_id}/transitions"
    return all_at_once(
        [partial(app.test_client().post, url, json=move, headers=staff) for move in moves]
    )


def test_two_staff_members_moving_one_request_at_once_cannot_both_succeed(
    app: Flask, real_settings: Settings
) -> None:
    staff = staff_headers(real_settings)
    client = app.test_client()
    for _ in range(ROUNDS):
        request_id = client.post("/api/v1/requests", json=PRACTICETEAM_REQUEST).json["id"]

        same = at_once(app, request_id, [{"to": "intake"}, {"to": "intake"}], staff)
        assert sorted(answer.status_code for answer in same) == [200, 409]
        loser = next(answer for answer in same if answer.status_code == 409)
        assert loser.json["current_status"] == "intake"

        opposite = at_once(
            app, request_id, [{"to": "accepted"}, {"to": "declined", "reason": "Past niet."}], staff
        )
        assert sorted(answer.status_code for answer in opposite) == [200, 409]
        winner = next(answer for answer in opposite if answer.status_code == 200).json
        view = client.get(f"/api/v1/requests/{request_id}", headers=staff).json
        assert [step["to"] for step in view["history"]] == ["submitted", "intake", winner["status"]]
        assert view["version"] == 3

    with app.extensions["gia"].db.transaction() as session:
        published = Counter(row.type.rsplit(".", 1)[1] for row in session.scalars(select(Outbox)))
    assert published["submitted"] == published["intake"] == ROUNDS
    assert published["accepted"] + published["declined"] == ROUNDS
