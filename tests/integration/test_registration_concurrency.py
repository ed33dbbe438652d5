"""Hundreds registering at once on PostgreSQL: never overbooked, a gapless waiting list."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gia.migrations import upgrade
from services.registration.app import create_app
from shared.settings import Settings
from tests.factories import MEETING, PERSON, delivered_mails, path_of, staff_headers

pytestmark = pytest.mark.services

SEATS = 40
PEOPLE = 300


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    upgrade(real_settings, ("registration",))
    app = create_app(real_settings)
    yield app
    app.extensions["gia"].db.dispose()


def register_all_at_once(app: Flask, meeting_id: str) -> list[int]:
    start = threading.Barrier(PEOPLE)
    statuses: list[int] = []

    def register(number: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            f"/api/v1/meetings/{meeting_id}/registrations",
            json={**PERSON, "email": f"person{number}@example.nl"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return statuses


def test_300_at_once_for_40_seats_then_a_cancellation_promotes_the_first_waiting(
    app: Flask, real_settings: Settings
) -> None:
    client: FlaskClient = app.test_client()
    staff = staff_headers(real_settings)
    meeting = client.post("/api/v1/meetings", json={**MEETING, "capacity": SEATS}, headers=staff)
    meeting_id = meeting.json["id"]

    assert Counter(register_all_at_once(app, meeting_id)) == {201: PEOPLE}

    everyone = client.get(f"/api/v1/meetings/{meeting_id}/registrations", headers=staff).json
    assert Counter(r["status"] for r in everyone) == {"confirmed": SEATS, "waitlisted": 260}
    positions = sorted(r["waitlist_position"] for r in everyone if r["status"] == "waitlisted")
    assert positions == list(range(1, PEOPLE - SEATS + 1))

    first = next(r for r in everyone if r["waitlist_position"] == 1)
    second = next(r for r in everyone if r["waitlist_position"] == 2)
    confirmed = next(r for r in everyone if r["status"] == "confirmed")
    cancelled = client.post(path_of(confirmed["links"]["cancel"]))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"

    promoted = client.get(f"/api/v1/registrations/{first['id']}", headers=staff).json
    assert promoted["status"] == "confirmed" and promoted["waitlist_position"] is None
    moved_up = client.get(f"/api/v1/registrations/{second['id']}", headers=staff).json
    assert moved_up["waitlist_position"] == 1
    seats = client.get(f"/api/v1/meetings/{meeting_id}").json
    assert seats["seats_left"] == 0 and seats["waiting"] == PEOPLE - SEATS - 1

    last = delivered_mails(real_settings)[-1]
    assert last["To"] == first["email"]
    assert last["Subject"].startswith("Er is een plaats voor u")
