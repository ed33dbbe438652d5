"""End to end over the real RabbitMQ: a submitted essay reaches the indicators service."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from gia import registry
from gia.migrations import upgrade
from services.essay_contest.models import Outbox
from services.indicators.consumer import build_consumer
from services.indicators.models import Evidence, ReceivedEvent
from shared.db import Database
from shared.events.catalogue import ESSAY_SIGNED_UP, ESSAY_SUBMITTED
from shared.events.relay import Relay, wait_until_drained
from shared.events.topology import broker_connection
from tests.integration.test_essay_contest_api import ANNA, ESSAY, Contestants, contest

pytestmark = pytest.mark.services
__all__ = ["contest"]  # the fixture, shared with the API tests


def test_a_submitted_essay_reaches_the_indicators_service(contest: Contestants) -> None:
    settings = contest.settings
    upgrade(settings, ("indicators",))
    anna = contest.sign_up(ANNA)
    contest.entry(anna, json=ESSAY)
    assert contest.entry(anna, "/submit").status_code == 200

    essays = Database.for_service(settings, "essay_contest")
    relay = Relay(essays, Outbox, lambda: broker_connection(settings), registry.topology(settings))
    consumer = build_consumer(settings)
    stop = threading.Event()
    threads = [threading.Thread(target=run, args=(stop,)) for run in (relay.run, consumer.run)]
    for thread in threads:
        thread.start()
    try:
        assert wait_until_drained(essays, Outbox, timeout=20)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with consumer.db.transaction() as session:
                received = {
                    row.type: row.data
                    for row in session.scalars(
                        select(ReceivedEvent).where(ReceivedEvent.type.like("nl.gia.essay.%"))
                    )
                }
                evidence = list(session.scalars(select(Evidence)))
            if ESSAY_SUBMITTED in received and evidence:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        essays.dispose()
        consumer.db.dispose()
    assert received[ESSAY_SIGNED_UP]["municipality_code"] == "GM0599"
    submitted = received[ESSAY_SUBMITTED]
    assert submitted["municipality_codes"] == ["GM0599"] and submitted["revision"] == 1
    assert submitted["contest_id"] == contest.contest_id
    assert ANNA["name"] not in str(submitted) and ESSAY["text"] not in str(submitted)
    # The rule table makes it activity of the author's municipality (never one of the figures).
    assert [(e.indicator, e.municipality_code, e.basis) for e in evidence] == [
        ("activity", "GM0599", f"essay:{submitted['entry_id']}:GM0599")
    ]
