"""Pure unit tests of the event envelope and the bearer tokens."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shared.auth.tokens import InvalidToken, mint_token, verify_token
from shared.events.catalogue import ATTENDED
from shared.events.envelope import MalformedEvent, new_event, parse_event
from tests.factories import attendance_data

SECRET = "s" * 40


def test_event_round_trips_as_structured_cloudevent() -> None:
    event = new_event(
        ATTENDED, source="urn:nld:oin:1:systeem:x", subject="s", data=attendance_data()
    )
    body = json.loads(event.to_json())
    assert body["specversion"] == "1.0"
    assert body["type"] == ATTENDED
    assert uuid.UUID(body["id"])
    assert body["time"].endswith("Z")
    assert parse_event(event.to_json()) == event


@pytest.mark.parametrize(
    "body",
    [b"not json", b"{}", b'{"specversion":"1.0","id":"x","source":"s","type":"t"}'],
)
def test_malformed_messages_are_refused(body: bytes) -> None:
    with pytest.raises(MalformedEvent):
        parse_event(body)


def test_data_is_checked_against_the_catalogue() -> None:
    with pytest.raises(MalformedEvent):
        new_event(ATTENDED, source="s", subject="s", data=attendance_data(municipality_code="X"))


def test_token_carries_role_and_expires() -> None:
    principal = verify_token(SECRET, mint_token(SECRET, "staff", "a@b.nl", timedelta(hours=1)))
    assert (principal.role, principal.subject) == ("staff", "a@b.nl")
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(SECRET, mint_token(SECRET, "staff", "a", timedelta(seconds=-1)))
    with pytest.raises(InvalidToken):
        verify_token("another key " * 4, mint_token(SECRET, "jury", "a", timedelta(hours=1)))


def test_token_has_an_id_of_its_own_and_lives_at_most_thirty_days() -> None:
    first, second = (
        verify_token(SECRET, mint_token(SECRET, "staff", "a", timedelta(hours=1))) for _ in "12"
    )
    assert first.token_id and uuid.UUID(first.token_id) and first.token_id != second.token_id
    with pytest.raises(ValueError, match="30 days"):
        mint_token(SECRET, "staff", "a", timedelta(days=31))
    now = datetime.now(UTC)
    claims = {"iss": "gia", "sub": "a", "role": "jury", "iat": now, "exp": now + timedelta(hours=1)}
    with pytest.raises(InvalidToken):  # an id is what revoking a token needs
        verify_token(SECRET, jwt.encode(claims, SECRET, algorithm="HS256"))
