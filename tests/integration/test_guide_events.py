"""End to end over the real RabbitMQ: an official of Rotterdam downloads the new guide, the
guide's relay publishes the event, and the indicators consumer makes Rotterdam count for
"knows the new guide", explained on its page by the download event."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from gia import registry
from gia.migrations import upgrade
from services.guide.app import create_app
from services.guide.models import Outbox
from services.indicators.app import create_app as create_indicators
from services.indicators.consumer import build_consumer
from services.indicators.models import Evidence, ReceivedEvent
from shared.db import Database
from shared.events.catalogue import GUIDE_DOWNLOADED
from shared.events.relay import Relay, wait_until_drained
from shared.events.topology import broker_connection
from shared.settings import Settings
from tests.factories import serving, signed_in, staff_headers, wait_for
from tests.integration.test_guide_api import GUIDE, OFFICIAL, ROTTERDAM, edition, publish

pytestmark = pytest.mark.services


@pytest.fixture
def guides(real_settings: Settings) -> Iterator[Flask]:
    with serving(create_app, real_settings, "guide", "auth") as app:
        yield app


def downloaded_by_rotterdam(guides: Flask, settings: Settings, counts: bool = True) -> str:
    """The guide, published by staff, downloaded by Rotterdam's official; the guide's id."""
    client, staff = guides.test_client(), staff_headers(settings)
    guide = publish(client, staff, {**GUIDE, "counts_for_awareness": counts})
    edition(client, staff, guide["id"])
    served = client.post(f"/api/v1/guides/{guide['id']}/downloads", json=OFFICIAL)
    assert served.status_code == 200
    return str(guide["id"])


def through_the_broker(settings: Settings) -> list[ReceivedEvent]:
    """The guide's relay and the indicators consumer, running until the consumer kept every
    event the relay sent; what it kept."""
    upgrade(settings, ("indicators",))
    db = Database.for_service(settings, "guide")
    relay = Relay(db, Outbox, lambda: broker_connection(settings), registry.topology(settings))
    consumer = build_consumer(settings)
    stop = threading.Event()
    threads = [threading.Thread(target=run, args=(stop,)) for run in (relay.run, consumer.run)]
    for thread in threads:
        thread.start()
    try:
        assert wait_until_drained(db, Outbox, timeout=20)

        def kept() -> list[ReceivedEvent]:
            with consumer.db.transaction() as session:
                return list(session.scalars(select(ReceivedEvent)))

        assert wait_for(lambda: len(kept()) == 1, timeout=20)
        return kept()
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        db.dispose()
        consumer.db.dispose()


def test_a_download_by_rotterdam_makes_it_count_for_knowing_the_new_guide(
    guides: Flask, real_settings: Settings
) -> None:
    guide_id = downloaded_by_rotterdam(guides, real_settings)
    (received,) = through_the_broker(real_settings)
    assert received.type == GUIDE_DOWNLOADED and received.source.endswith(":systeem:gia-guide")
    assert received.data["municipality_code"] == ROTTERDAM and received.data["edition"] == 1
    assert OFFICIAL["email"] not in str(received.data)

    with serving(create_indicators, real_settings, "indicators") as indicators:
        client = indicators.test_client()
        with indicators.extensions["gia"].db.transaction() as session:
            (evidence,) = session.scalars(select(Evidence)).all()
            assert (evidence.indicator, evidence.basis) == (
                "awareness",
                f"guide:{guide_id}:{ROTTERDAM}",
            )
            assert evidence.given_by == received.id
        standing = client.get(
            f"/api/v1/municipalities/{ROTTERDAM}", headers=staff_headers(real_settings)
        ).json
        assert standing["counts_for"]["awareness"] is True
        assert standing["counts_for"]["participation"] is False
        figures = client.get("/api/v1/indicators").json["indicators"]
        awareness = next(item for item in figures if item["indicator"] == "awareness")
        assert awareness["numerator"] == 1 and awareness["target"] == 0.85

        signed_in(client, "staf@minbzk.nl", "staff")
        page = client.get(f"/gemeenten/{ROTTERDAM}").get_data(as_text=True)
        # the event linked under its Dutch name, the evidence in words rather than its key
        assert f'href="/api/v1/events/{received.id}">Handreiking gedownload</a>' in page
        assert re.search(r"Handreiking [\w-]+ gedownload", page)
        assert f"guide:{guide_id}:{ROTTERDAM}" not in page
        report = client.get("/rapport").get_data(as_text=True)
        assert "Handreiking gedownload" in report  # the rule, with its reason


def test_a_guide_staff_do_not_count_is_received_but_is_no_evidence(
    guides: Flask, real_settings: Settings
) -> None:
    downloaded_by_rotterdam(guides, real_settings, counts=False)
    (received,) = through_the_broker(real_settings)
    assert received.data["counts_for_awareness"] is False
    with (
        serving(create_indicators, real_settings, "indicators") as indicators,
        indicators.extensions["gia"].db.transaction() as session,
    ):
        assert session.scalars(select(Evidence)).all() == []
