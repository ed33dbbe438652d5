"""The registration API on PostgreSQL: the first use case, clear 4xx answers and staff tokens."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from gia.migrations import upgrade
from services.registration import erasure
from services.registration.app import create_app
from services.registration.models import MailQueue, Outbox
from services.registration.notices import mail_worker
from shared.auth.tokens import mint_token
from shared.db import Database
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED, REGISTERED
from shared.settings import Settings
from tests.factories import MEETING, PERSON, delivered_mails, path_of, staff_headers
from tests.integration.tcp_proxy import free_port

pytestmark = pytest.mark.services


@pytest.fixture
def client(real_settings: Settings) -> Iterator[FlaskClient]:
    upgrade(real_settings, ("auth", "registration"))
    app = create_app(real_settings)
    yield app.test_client()
    context = app.extensions["gia"]
    for db in (context.db, context.auth_db):
        db.dispose()


@pytest.fixture
def staff(real_settings: Settings) -> dict[str, str]:
    return staff_headers(real_settings)


def new_meeting(client: FlaskClient, staff: dict[str, str]) -> str:
    response = client.post("/api/v1/meetings", json=MEETING, headers=staff)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_register_then_check_in_writes_attended_to_the_outbox(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = new_meeting(client, staff)
    first = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON)
    assert first.status_code == 201 and first.json["status"] == "confirmed"
    second = client.post(
        f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, "email": "b@example.nl"}
    )
    assert second.json["status"] == "waitlisted"  # capacity 1
    checked = client.post(f"/api/v1/registrations/{first.json['id']}/check-in", headers=staff)
    assert checked.status_code == 200 and checked.json["checked_in_at"]
    db = Database.for_service(real_settings, "registration")
    with db.transaction() as session:
        attended = session.scalars(select(Outbox).where(Outbox.type == ATTENDED)).all()
    assert (
        len(attended) == 1
        and b'"GM0599"' in attended[0].body
        and b"an@example.nl" not in attended[0].body
    )


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("{not json", 400, None),
        ({**PERSON, "email": None}, 400, "email"),
        ({key: value for key, value in PERSON.items() if key != "name"}, 400, "name"),
        ({**PERSON, "role": 7}, 400, "role"),
        ({**PERSON, "municipality_code": "GM9999"}, 400, "municipality_code"),
        ({**PERSON, "email": "not an address"}, 400, "email"),
        ({**PERSON, "name": "x" * 1024 * 1024}, 413, None),
    ],
)
def test_bad_input_is_a_clear_problem(
    client: FlaskClient, staff: dict[str, str], body: Any, status: int, field: str | None
) -> None:
    meeting_id = new_meeting(client, staff)
    url = f"/api/v1/meetings/{meeting_id}/registrations"
    response = (
        client.post(url, data=body, content_type="application/json")
        if isinstance(body, str)
        else client.post(url, json=body)
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    if field:
        assert field in response.json["errors"]
    listed = client.get(f"/api/v1/meetings/{meeting_id}/registrations", headers=staff)
    assert listed.json == []  # nothing half-written


def test_closed_and_full_are_conflicts_with_the_reason(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    past = {**MEETING, "registration_deadline": "2020-01-01T12:00:00+01:00"}
    closed = client.post("/api/v1/meetings", json=past, headers=staff).json["id"]
    late = client.post(f"/api/v1/meetings/{closed}/registrations", json=PERSON)
    assert late.status_code == 409 and "closed" in late.json["detail"]

    meeting_id = new_meeting(client, staff)  # one seat
    client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON)
    walk_in = client.post(
        f"/api/v1/meetings/{meeting_id}/walk-ins",
        json={**PERSON, "email": "door@example.nl"},
        headers=staff,
    )
    assert walk_in.status_code == 409 and "full" in walk_in.json["detail"]

    client.post(f"/api/v1/meetings/{meeting_id}/cancel", headers=staff)
    after = client.post(
        f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, "email": "c@example.nl"}
    )
    assert after.status_code == 409 and "cancelled" in after.json["detail"]


def test_a_personal_link_opens_only_its_own_registration(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = new_meeting(client, staff)
    url = f"/api/v1/meetings/{meeting_id}/registrations"
    mine = client.post(url, json=PERSON).json
    theirs = client.post(url, json={**PERSON, "email": "b@example.nl"}).json
    my_token = path_of(mine["links"]["cancel"]).split("token=")[1]

    assert client.get(f"/api/v1/registrations/{mine['id']}?token={my_token}").status_code == 200
    for attempt in (
        client.get(f"/api/v1/registrations/{theirs['id']}?token={my_token}"),
        client.post(f"/api/v1/registrations/{theirs['id']}/cancel?token={my_token}"),
        client.post(f"/api/v1/registrations/{theirs['id']}/cancel"),
    ):
        assert attempt.status_code == 401 and attempt.mimetype == "application/problem+json"
    jury = staff_headers(real_settings, role="jury")
    refused = client.post(f"/api/v1/registrations/{theirs['id']}/cancel", headers=jury)
    assert refused.status_code == 403
    assert client.get(f"/api/v1/registrations/{theirs['id']}", headers=staff).json["status"] == (
        "waitlisted"
    )
    assert client.post(path_of(mine["links"]["cancel"])).json["status"] == "cancelled"
    assert client.get(f"/api/v1/registrations/{theirs['id']}", headers=staff).json["status"] == (
        "confirmed"
    )


def test_check_in_undo_and_walk_in_write_attendance_events(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = client.post(
        "/api/v1/meetings", json={**MEETING, "capacity": 5}, headers=staff
    ).json["id"]
    person = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON).json
    client.post(f"/api/v1/registrations/{person['id']}/check-in", headers=staff)
    undone = client.delete(f"/api/v1/registrations/{person['id']}/check-in", headers=staff)
    assert undone.status_code == 200 and undone.json["checked_in_at"] is None
    walked = client.post(
        f"/api/v1/meetings/{meeting_id}/walk-ins",
        json={**PERSON, "email": "door@example.nl", "municipality_code": "GM0363"},
        headers=staff,
    )
    assert walked.status_code == 201 and walked.json["walk_in"] and walked.json["checked_in_at"]
    nameless = client.post(
        f"/api/v1/meetings/{meeting_id}/walk-ins",
        json={"name": "Cor de Wit", "role": "other", "organisation": "=HYPERLINK(1)"},
        headers=staff,
    )
    assert nameless.status_code == 201 and nameless.json["email"] is None
    attendance = client.get(f"/api/v1/meetings/{meeting_id}/attendance.csv", headers=staff)
    assert attendance.mimetype == "text/csv"
    rows = attendance.get_data(as_text=True).splitlines()
    assert len(rows) == 3 and "door@example.nl" in rows[1] and "Amsterdam" in rows[1]
    # What a person typed never runs as a formula in the spreadsheet staff open.
    assert ",'=HYPERLINK(1)," in rows[2]
    listed = client.get(f"/api/v1/meetings/{meeting_id}/registrations.csv", headers=staff)
    assert [line.split(",")[6] for line in listed.get_data(as_text=True).splitlines()] == [
        "status",
        "confirmed",
        "confirmed",
        "confirmed",
    ]
    db = Database.for_service(real_settings, "registration")
    with db.transaction() as session:
        kinds = [row.type for row in session.scalars(select(Outbox).order_by(Outbox.created_at))]
    assert kinds[-6:] == [ATTENDED, ATTENDANCE_REVOKED, REGISTERED, ATTENDED, REGISTERED, ATTENDED]
    db.dispose()


def test_unknown_meeting_and_duplicate_address(client: FlaskClient, staff: dict[str, str]) -> None:
    missing = client.post(
        "/api/v1/meetings/6f1c0c4e-0000-4000-8000-000000000000/registrations", json=PERSON
    )
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    meeting_id = new_meeting(client, staff)
    url = f"/api/v1/meetings/{meeting_id}/registrations"
    assert client.post(url, json=PERSON).status_code == 201
    again = client.post(url, json={**PERSON, "email": PERSON["email"].upper()})
    assert again.status_code == 409 and again.mimetype == "application/problem+json"


def test_staff_endpoints_refuse_missing_forged_and_expired_tokens(
    client: FlaskClient, real_settings: Settings
) -> None:
    expired = mint_token(real_settings.secret_key, "staff", "t", timedelta(seconds=-5))
    forged = mint_token("somebody else's key " * 3, "staff", "t", timedelta(minutes=5))
    jury = mint_token(real_settings.secret_key, "jury", "t", timedelta(minutes=5))
    for headers, status in (
        ({}, 401),
        ({"Authorization": f"Bearer {expired}"}, 401),
        ({"Authorization": f"Bearer {forged}"}, 401),
        ({"Authorization": f"Bearer {jury}"}, 403),
    ):
        response = client.post("/api/v1/meetings", json=MEETING, headers=headers)
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"


def test_registrants_get_a_mail_saying_whether_they_have_a_seat(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = new_meeting(client, staff)
    client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON)
    client.post(
        f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, "email": "b@example.nl"}
    )
    mails = delivered_mails(real_settings)
    assert [(mail["To"], mail["Subject"].split(":")[0]) for mail in mails] == [
        ("an@example.nl", "Aanmelding bevestigd"),
        ("b@example.nl", "Op de wachtlijst"),
    ]
    text = mails[0].get_body(("plain",)).get_content()
    assert "10-10-2030 van 10:00 tot 13:00 uur" in text
    assert "/inschrijving/" in text and "token=" in text
    calendar, code = mails[0].iter_attachments()
    assert calendar.get_content_type() == "text/calendar"
    assert "DTSTART:20301010T080000Z" in calendar.get_content()
    assert code.get_content_type() == "image/png"  # the check-in QR code: only with a seat
    assert [p.get_content_type() for p in mails[1].iter_attachments()] == ["text/calendar"]


def test_mail_waits_in_the_queue_while_the_mail_server_is_down(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = new_meeting(client, staff)
    response = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON)
    assert response.status_code == 201  # the registration does not wait for mail

    unreachable = replace(real_settings, smtp_host="127.0.0.1", smtp_port=free_port())
    down = mail_worker(unreachable)
    assert down.deliver_pending() == 1
    with down.db.transaction() as session:
        (queued,) = session.scalars(select(MailQueue)).all()
        assert queued.sent_at is None and queued.attempts == 1 and queued.retry_at
    down.db.dispose()
    assert delivered_mails(real_settings) == []  # not due again yet

    back = mail_worker(real_settings)
    assert back.deliver_pending(now=queued.retry_at) == 1
    back.db.dispose()
    assert [mail["To"] for mail in delivered_mails(real_settings)] == [PERSON["email"]]


def test_changing_a_meeting_tells_everyone_and_more_seats_promote(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = new_meeting(client, staff)  # one seat
    url = f"/api/v1/meetings/{meeting_id}/registrations"
    client.post(url, json=PERSON)
    waiting = client.post(url, json={**PERSON, "email": "b@example.nl"}).json
    change = f"/api/v1/meetings/{meeting_id}"

    assert client.patch(change, json={"capacity": 0}, headers=staff).status_code == 400
    moved = client.patch(change, json={"capacity": 2, "venue": "Stadhuis"}, headers=staff)
    assert moved.status_code == 200 and moved.json["venue"] == "Stadhuis"
    assert (
        client.get(f"/api/v1/registrations/{waiting['id']}", headers=staff).json["status"]
        == "confirmed"
    )
    fewer = client.patch(change, json={"capacity": 1}, headers=staff)
    assert fewer.status_code == 409 and "2 people" in fewer.json["detail"]
    backwards = client.patch(change, json={"ends_at": "2030-10-10T09:00:00+02:00"}, headers=staff)
    assert backwards.status_code == 400 and "ends_at" in backwards.json["errors"]

    cancelled = client.post(f"/api/v1/meetings/{meeting_id}/cancel", headers=staff)
    assert cancelled.status_code == 200 and cancelled.json["cancelled_at"]
    subjects = [mail["Subject"].split(":")[0] for mail in delivered_mails(real_settings)]
    assert subjects[2:] == ["Er is een plaats voor u", "Gewijzigd", "Afgelast", "Afgelast"]


def test_personal_data_is_erased_only_after_the_programme_year(
    client: FlaskClient, staff: dict[str, str], real_settings: Settings
) -> None:
    meeting_id = new_meeting(client, staff)
    person = client.post(f"/api/v1/meetings/{meeting_id}/registrations", json=PERSON).json
    client.post(f"/api/v1/registrations/{person['id']}/check-in", headers=staff)
    early = client.post(f"/api/v1/meetings/{meeting_id}/erase-personal-data", headers=staff)
    assert early.status_code == 409

    db = Database.for_service(real_settings, "registration")
    with db.transaction() as session:
        erased = erasure.erase_personal_data(session, meeting_id, datetime(2031, 1, 2, tzinfo=UTC))
    db.dispose()
    assert erased == 1
    kept = client.get(f"/api/v1/registrations/{person['id']}", headers=staff).json
    assert kept["name"] is None and kept["email"] is None
    assert kept["municipality_code"] == "GM0599" and kept["checked_in_at"]


def test_core_date_time_in_utc(client: FlaskClient, staff: dict[str, str]) -> None:
    """API Design Rules: times are answered in UTC with Z, the same by POST as by GET,
    whatever offset the caller sent (+02:00 here)."""
    made = client.post("/api/v1/meetings", json=MEETING, headers=staff)
    assert made.status_code == 201
    read = client.get(f"/api/v1/meetings/{made.json['id']}", headers=staff)
    for answer in (made.json, read.json):
        assert answer["starts_at"] == "2030-10-10T08:00:00Z"
        assert answer["registration_deadline"] == "2030-10-09T10:00:00Z"
