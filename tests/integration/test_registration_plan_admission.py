"""Raad voor Raad meetings on PostgreSQL: council members by default, aldermen only where staff
allow it, other roles refused with the reason; GIA meetings admit every role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.registration.app import create_app
from shared.settings import Settings
from tests.factories import MEETING, PERSON, serving, staff_headers

pytestmark = pytest.mark.services

RAAD_VOOR_RAAD = {**MEETING, "kind": "raad_voor_raad", "title": "Raad voor Raad", "capacity": 10}


@pytest.fixture
def client(real_settings: Settings) -> Iterator[FlaskClient]:
    with serving(create_app, real_settings, "auth", "registration") as app:
        yield app.test_client()


@pytest.fixture
def staff(real_settings: Settings) -> dict[str, str]:
    return staff_headers(real_settings)


def new_meeting(client: FlaskClient, staff: dict[str, str], **fields: Any) -> str:
    response = client.post("/api/v1/meetings", json={**RAAD_VOOR_RAAD, **fields}, headers=staff)
    assert response.status_code == 201, response.json
    return response.json["id"]


def register(client: FlaskClient, meeting_id: str, role: str) -> Any:
    return client.post(
        f"/api/v1/meetings/{meeting_id}/registrations",
        json={**PERSON, "role": role, "email": f"{role}@example.nl"},
    )


def roles_in(client: FlaskClient, staff: dict[str, str], meeting_id: str) -> list[str]:
    listed = client.get(f"/api/v1/meetings/{meeting_id}/registrations", headers=staff)
    return [registration["role"] for registration in listed.json]


def test_raad_voor_raad_admits_council_members_and_refuses_aldermen_by_default(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    meeting_id = new_meeting(client, staff)
    assert client.get(f"/api/v1/meetings/{meeting_id}").json["admits_aldermen"] is False
    assert register(client, meeting_id, "council_member").status_code == 201
    alderman = register(client, meeting_id, "alderman")
    assert alderman.status_code == 409 and alderman.mimetype == "application/problem+json"
    assert "not for aldermen" in alderman.json["detail"]
    for role in ("official", "other"):
        refused = register(client, meeting_id, role)
        assert refused.status_code == 409
        assert "council members only" in refused.json["detail"]
        assert "regional GIA meetings" in refused.json["detail"]
    walk_in = client.post(
        f"/api/v1/meetings/{meeting_id}/walk-ins",
        json={**PERSON, "role": "official", "email": None},
        headers=staff,
    )
    assert walk_in.status_code == 409  # not at the door either
    assert roles_in(client, staff, meeting_id) == ["council_member"]


def test_staff_let_aldermen_in_and_other_roles_stay_out(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    meeting_id = new_meeting(client, staff)
    opened = client.patch(
        f"/api/v1/meetings/{meeting_id}", json={"admits_aldermen": True}, headers=staff
    )
    assert opened.status_code == 200 and opened.json["admits_aldermen"] is True
    assert register(client, meeting_id, "alderman").status_code == 201
    assert register(client, meeting_id, "council_member").status_code == 201
    official = register(client, meeting_id, "official")
    assert official.status_code == 409 and "council members and aldermen" in official.json["detail"]
    assert roles_in(client, staff, meeting_id) == ["alderman", "council_member"]

    # Closing the door again keeps the seats already given, and refuses the next alderman.
    client.patch(f"/api/v1/meetings/{meeting_id}", json={"admits_aldermen": False}, headers=staff)
    late = client.post(
        f"/api/v1/meetings/{meeting_id}/registrations",
        json={**PERSON, "role": "alderman", "email": "tweede@example.nl"},
    )
    assert late.status_code == 409
    assert roles_in(client, staff, meeting_id) == ["alderman", "council_member"]


def test_gia_meetings_admit_every_role_whatever_the_setting(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    meeting_id = new_meeting(client, staff, kind="gia", admits_aldermen=False)
    for role in ("official", "council_member", "alderman", "other"):
        assert register(client, meeting_id, role).status_code == 201
    assert len(roles_in(client, staff, meeting_id)) == 4


def test_a_bad_role_is_refused_before_the_rule(client: FlaskClient, staff: dict[str, str]) -> None:
    meeting_id = new_meeting(client, staff)
    for role in ("wethouder", "", None, 3):
        refused = client.post(
            f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, "role": role}
        )
        assert refused.status_code == 400 and "role" in refused.json["errors"]
    assert roles_in(client, staff, meeting_id) == []
