"""Outbox -> relay -> RabbitMQ -> consumer -> inbox, against the real broker and database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import func, select

from gia import registry
from gia.migrations import upgrade
from services.indicators.evidence import Projector
from services.indicators.models import ReceivedEvent
from services.registration.models import Outbox
from shared.db import Database
from shared.events.catalogue import ATTENDED
from shared.events.consumer import EventConsumer
from shared.events.outbox import EventRecorder
from shared.events.relay import Relay, wait_until_drained
from shared.events.topology import broker_connection
from shared.events.trust import Trust
from shared.municipalities import load_register
from shared.settings import Settings
from tests.factories import attendance_data, publish_raw, wait_for
from tests.integration.tcp_proxy import TcpProxy, free_port

pytestmark = pytest.mark.services


@dataclass
class Backbone:
    settings: Settings
    registration: Database
    indicators: Database
    recorder: EventRecorder
    consumer: EventConsumer


@pytest.fixture
def backbone(real_settings: Settings) -> Iterator[Backbone]:
    settings = real_settings
    upgrade(settings, ("registration", "indicators"))
    registration = Database.for_service(settings, "registration")
    indicators = Database.for_service(settings, "indicators")
    topology = registry.topology(settings)
    consumer = EventConsumer(
        indicators,
        ReceivedEvent,
        Projector(load_register(None)),
        lambda: broker_connection(settings),
        topology,
        "indicators",
        Trust(settings, load_register(None)),
    )
    yield Backbone(
        settings,
        registration,
        indicators,
        EventRecorder(Outbox, settings.event_source("registration")),
        consumer,
    )
    for db in (registration, indicators):
        db.dispose()


def received(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ReceivedEvent)) or 0


def running(target) -> tuple[threading.Event, threading.Thread]:  # type: ignore[no-untyped-def]
    stop = threading.Event()
    thread = threading.Thread(target=target, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def test_committed_events_arrive_once_and_rolled_back_ones_never(backbone: Backbone) -> None:
    with backbone.registration.transaction() as session:
        for _ in range(3):
            backbone.recorder.record(session, ATTENDED, subject="r", data=attendance_data())
    with pytest.raises(RuntimeError), backbone.registration.transaction() as session:
        backbone.recorder.record(session, ATTENDED, subject="r", data=attendance_data())
        raise RuntimeError("the change failed")

    relay = Relay(
        backbone.registration,
        Outbox,
        lambda: broker_connection(backbone.settings),
        registry.topology(backbone.settings),
    )
    stop_relay, relay_thread = running(relay.run)
    stop_consumer, consumer_thread = running(backbone.consumer.run)
    try:
        assert wait_until_drained(backbone.registration, Outbox, timeout=10)
        assert wait_for(lambda: received(backbone.indicators) == 3)
        time.sleep(0.3)
        assert received(backbone.indicators) == 3
    finally:
        stop_relay.set()
        stop_consumer.set()
        relay_thread.join(5)
        consumer_thread.join(5)


def test_duplicate_counts_once_and_malformed_is_parked(backbone: Backbone) -> None:
    settings = backbone.settings
    topology = registry.topology(settings)
    with backbone.registration.transaction() as session:
        event = backbone.recorder.record(session, ATTENDED, subject="r", data=attendance_data())
        after = backbone.recorder.record(session, ATTENDED, subject="r", data=attendance_data())
    bodies = (event.to_json(), event.to_json(), b"{not an event", after.to_json())
    publish_raw(settings, [(body, ATTENDED) for body in bodies])
    stop, thread = running(backbone.consumer.run)
    try:
        assert wait_for(lambda: received(backbone.indicators) == 2)  # the good one after it too
        with broker_connection(settings) as connection:
            dead = topology.dead_queues["indicators"].bind(connection.default_channel)
            assert wait_for(lambda: dead.queue_declare(passive=True).message_count == 1)
            parked = dead.get(no_ack=True)
            assert parked is not None and parked.body == b"{not an event"
            assert "not a CloudEvent" in parked.headers["x-gia-error"]
        assert received(backbone.indicators) == 2
    finally:
        stop.set()
        thread.join(5)


def behind_a_proxy(backbone: Backbone) -> tuple[TcpProxy, Relay, Settings]:
    """A switched-off TCP proxy in front of the broker, a relay that reaches the broker only
    through it, and the settings that name it."""
    port = free_port()
    proxy = TcpProxy(port, ("127.0.0.1", 5672))
    via_proxy = replace(backbone.settings, broker_url=f"amqp://guest:guest@127.0.0.1:{port}//")
    relay = Relay(
        backbone.registration,
        Outbox,
        lambda: broker_connection(via_proxy),
        registry.topology(backbone.settings),
    )
    return proxy, relay, via_proxy


def record_one(backbone: Backbone) -> None:
    with backbone.registration.transaction() as session:
        backbone.recorder.record(session, ATTENDED, subject="r", data=attendance_data())


def test_event_written_while_broker_unreachable_is_sent_when_it_is_back(
    backbone: Backbone,
) -> None:
    proxy, relay, _ = behind_a_proxy(backbone)
    record_one(backbone)
    stop_relay, relay_thread = running(relay.run)
    stop_consumer, consumer_thread = running(backbone.consumer.run)
    try:

        def failed_once() -> bool:
            with backbone.registration.transaction() as session:
                row = session.scalars(select(Outbox)).one()
                return row.sent_at is None and row.attempts >= 1 and bool(row.last_error)

        assert wait_for(failed_once)
        proxy.start()
        assert wait_until_drained(backbone.registration, Outbox, timeout=20)
        assert wait_for(lambda: received(backbone.indicators) == 1)
    finally:
        proxy.stop()
        stop_relay.set()
        stop_consumer.set()
        relay_thread.join(5)
        consumer_thread.join(5)


# Past the retry at 15.5 s of a back-off doubling from 0.5 s: uncapped, the next would wait 16 s.
OUTAGE_SECONDS = 16.0
RECOVERY_SECONDS = 5.0


def test_events_written_while_the_broker_is_away_are_counted_within_seconds_of_its_return(
    backbone: Backbone,
) -> None:
    proxy, relay, via_proxy = behind_a_proxy(backbone)
    backbone.consumer.connect = lambda: broker_connection(via_proxy)
    proxy.start()
    stop_relay, relay_thread = running(relay.run)
    stop_consumer, consumer_thread = running(backbone.consumer.run)
    try:
        record_one(backbone)
        assert wait_for(lambda: received(backbone.indicators) == 1)
        proxy.stop()  # both lose their connections
        written = 1
        back_at = time.monotonic() + OUTAGE_SECONDS
        while time.monotonic() < back_at:
            record_one(backbone)
            written += 1
            time.sleep(1)
        assert received(backbone.indicators) == 1
        proxy.start()
        back = time.monotonic()
        assert wait_for(lambda: received(backbone.indicators) == written, timeout=60)
        recovered = time.monotonic() - back
        assert recovered <= RECOVERY_SECONDS, f"counted {recovered:.1f}s after the broker's return"
    finally:
        proxy.stop()
        stop_relay.set()
        stop_consumer.set()
        relay_thread.join(5)
        consumer_thread.join(5)


def test_a_new_row_wakes_the_relay_at_once_though_it_would_not_look_for_an_hour(
    backbone: Backbone,
) -> None:
    relay = Relay(
        backbone.registration,
        Outbox,
        lambda: broker_connection(backbone.settings),
        registry.topology(backbone.settings),
        listening_poll=3600,
    )
    record_one(backbone)
    stop, thread = running(relay.run)
    try:
        assert wait_until_drained(backbone.registration, Outbox, timeout=10)
        time.sleep(0.5)  # the relay waits now, for a notification or an hour
        record_one(backbone)
        assert wait_until_drained(backbone.registration, Outbox, timeout=1)
    finally:
        stop.set()
        thread.join(5)
