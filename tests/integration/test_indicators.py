"""Indicator figures from events, on PostgreSQL and on the embedded SQLite default."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.indicators.app import create_app
from services.indicators.consumer import build_consumer
from shared.events.catalogue import ATTENDANCE_REVOKED, ATTENDED
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event, new_event
from shared.migrations import upgrade
from shared.municipalities import load_register
from shared.settings import Settings, load_settings
from tests.factories import attendance_data

ROTTERDAM, AMSTERDAM, MAASTRICHT = (
    "GM0599",
    "GM0363",
    "GM0935",
)  # the last is not in the target group


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "postgresql":
        return request.getfixturevalue("real_settings")
    return load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})


@pytest.fixture
def indicators(settings: Settings) -> Iterator[tuple[EventConsumer, FlaskClient]]:
    upgrade(settings, ("indicators",))
    consumer = build_consumer(settings)
    app = create_app(settings)
    yield consumer, app.test_client()
    consumer.db.dispose()
    app.extensions["gia"].db.dispose()


def attendance(kind: str, **data: Any) -> Event:
    return new_event(kind, source="urn:test", subject="r", data=attendance_data(**data))


def participation(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    return next(
        item for item in response.json["indicators"] if item["indicator"] == "participation"
    )


def test_each_target_group_municipality_counts_once(
    indicators: tuple[EventConsumer, FlaskClient],
) -> None:
    consumer, client = indicators
    first = attendance(ATTENDED, municipality_code=ROTTERDAM)
    consumer.apply([first, attendance(ATTENDED, municipality_code=ROTTERDAM)])
    consumer.apply([first])  # delivered again
    consumer.apply([attendance(ATTENDED, municipality_code=MAASTRICHT)])
    consumer.apply(
        [attendance(ATTENDED, municipality_code=AMSTERDAM, counts_for_participation=False)]
    )
    figure = participation(client)
    assert figure["numerator"] == 1
    target_group = len(load_register(None).target_group)
    assert figure["denominator"] == target_group
    assert figure["value"] == pytest.approx(1 / target_group)
    assert figure["target"] == 0.45


def test_a_revoked_attendance_no_longer_counts_whatever_the_order(
    indicators: tuple[EventConsumer, FlaskClient],
) -> None:
    consumer, client = indicators
    attended = attendance(ATTENDED, municipality_code=ROTTERDAM)
    revoked = new_event(ATTENDANCE_REVOKED, source="urn:test", subject="r", data=attended.data)
    consumer.apply([attended])
    assert participation(client)["numerator"] == 1
    consumer.apply([revoked])
    assert participation(client)["numerator"] == 0

    late = attendance(ATTENDED, municipality_code=AMSTERDAM)
    consumer.apply([new_event(ATTENDANCE_REVOKED, source="urn:test", subject="r", data=late.data)])
    consumer.apply([late])  # the attendance arrives after its revocation
    assert participation(client)["numerator"] == 0
