"""Only who may send an event moves the figures, on the real RabbitMQ with the shipped users.

A vhost and users of this test's own get exactly the permissions and topic permissions of
deploy/rabbitmq/definitions.json, so what passes here is what the shipped definitions allow.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from gia import registry
from gia.migrations import upgrade
from services.indicators.consumer import build_consumer
from services.indicators.models import Evidence, ReceivedEvent
from services.indicators.rebuild import rebuild, verify
from shared.db import Database
from shared.events.catalogue import ATTENDED, SURVEY_ANSWERED
from shared.events.dead_letters import BROKER_ROLE
from shared.events.envelope import Event, new_event
from shared.events.publisher import ConfirmedPublisher, Outgoing
from shared.events.topology import ACCESS_REFUSED, broker_connection
from shared.settings import Settings, load_settings
from tests.factories import attendance_data, producer_source, wait_for
from tests.isolation import unavailable

pytestmark = pytest.mark.services

DEFINITIONS = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq" / "definitions.json"
ROTTERDAM = "GM0599"


def rabbitmqctl(*args: str) -> None:
    done = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"rabbitmqctl {' '.join(args)}: {done.stderr or done.stdout}"


@dataclass(frozen=True)
class Vhost:
    name: str
    # GIA_<NAME>_BROKER_URL of each service, and of the dead-letters user, as its user of the
    # shipped definitions.
    urls: dict[str, str]


@pytest.fixture(scope="module")
def vhost(service_urls: tuple[str, str]) -> Iterator[Vhost]:
    """A vhost of its own, with guest to declare the topology and each shipped user but the
    console's administrator (under a name of this run) with its shipped permissions; all
    removed afterwards."""
    if shutil.which("rabbitmqctl") is None:
        unavailable(
            "rabbitmqctl is not on PATH: this test gives a vhost of its own the shipped users "
            "and permissions, which only the broker's admin tool can create"
        )
    definitions = json.loads(DEFINITIONS.read_text())
    tag = uuid.uuid4().hex[:8]
    name = f"gia-trust-{tag}"
    users: list[str] = []
    urls: dict[str, str] = {}
    try:
        rabbitmqctl("add_vhost", name)
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        for permission in definitions["permissions"]:
            service = permission["user"].removeprefix("gia-").replace("-", "_")
            if service not in (*registry.SERVICES, BROKER_ROLE):
                continue  # the console's administrator, for local development only
            # Hex: a password starting with "-" would be taken by the CLI as an option.
            user, password = f"{tag}-{permission['user']}", secrets.token_hex(16)
            rabbitmqctl("add_user", user, password)
            users.append(user)
            rabbitmqctl(
                "set_permissions",
                "-p",
                name,
                user,
                *(permission[kind] for kind in ("configure", "write", "read")),
            )
            for topic in definitions["topic_permissions"]:
                if topic["user"] == permission["user"]:
                    rabbitmqctl(
                        "set_topic_permissions",
                        "-p",
                        name,
                        user,
                        topic["exchange"],
                        topic["write"],
                        topic["read"],
                    )
            key = f"GIA_{service.upper()}_BROKER_URL"
            urls[key] = f"amqp://{user}:{password}@127.0.0.1:5672/{quote(name, safe='')}"
        yield Vhost(name, urls)
    finally:
        for user in users:
            rabbitmqctl("delete_user", user)
        rabbitmqctl("delete_vhost", name)


@pytest.fixture
def settings(real_env: dict[str, str], vhost: Vhost) -> Settings:
    """The shipped names (no topology prefix: the vhost keeps them apart), declared by guest
    as an administrator would; the services connect as their own users."""
    settings = load_settings(
        {
            **real_env,
            **vhost.urls,
            "GIA_BROKER_URL": f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost.name, safe='')}",
            "GIA_TOPOLOGY_PREFIX": "",
        }
    )
    topology = registry.topology(settings)
    with broker_connection(settings) as connection:
        topology.declare(connection)
        channel = connection.default_channel
        for queue in topology.all_queues():
            queue.bind(channel).purge()
    upgrade(settings, ("indicators",))
    return settings


def attendance(code: str = ROTTERDAM, source: str | None = None) -> Event:
    return new_event(
        ATTENDED,
        source=source or producer_source(ATTENDED),
        subject="r",
        data=attendance_data(municipality_code=code),
    )


def survey_answer() -> Event:
    """Indicators' own event, which it takes in directly and never receives over the broker."""
    return new_event(
        SURVEY_ANSWERED,
        source=producer_source(SURVEY_ANSWERED),
        subject=ROTTERDAM,
        data={
            "answer_id": str(uuid.uuid4()),
            "municipality_code": ROTTERDAM,
            "knows_guide": True,
            "read_guide": True,
            "uses": ["policy"],
        },
    )


def publish_as(settings: Settings, service: str, messages: list[tuple[Event, str]]) -> None:
    """Publish (event, routing key) pairs with the service's own credentials, confirmed."""
    own = settings.for_service(service)
    with broker_connection(own) as connection:
        publisher = ConfirmedPublisher(connection, registry.topology(own).events, timeout=5)
        publisher.publish(Outgoing(event.to_json(), key, event.id) for event, key in messages)


def test_a_service_may_publish_only_its_own_events(settings: Settings) -> None:
    survey = survey_answer()
    publish_as(settings, "registration", [(attendance(), ATTENDED)])
    channel_errors = broker_connection(settings).channel_errors  # unconnected: just the kinds
    with pytest.raises(channel_errors) as refused:
        publish_as(settings, "registration", [(survey, SURVEY_ANSWERED)])
    assert getattr(refused.value, "code", None) == ACCESS_REFUSED, refused.value
    assert "nl.gia.indicators.survey_answered" in str(refused.value)
    with pytest.raises(channel_errors) as reading:
        publish_as(settings, "indicators", [(attendance(), ATTENDED)])  # a consumer only reads
    assert getattr(reading.value, "code", None) == ACCESS_REFUSED, reading.value


def test_the_consumer_parks_what_its_producer_could_not_have_sent(settings: Settings) -> None:
    genuine = attendance()
    forged = attendance(source="urn:probe")
    unknown = attendance(code="GM9999")
    survey = survey_answer()
    publish_as(
        settings,
        "registration",
        [(forged, ATTENDED), (unknown, ATTENDED), (survey, ATTENDED), (genuine, ATTENDED)],
    )
    consumer = build_consumer(settings.for_service("indicators"))
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: stored(consumer.db) == [genuine.id])
        with broker_connection(settings) as connection:
            dead = registry.topology(settings).dead_queues["indicators"]
            dead = dead.bind(connection.default_channel)
            assert wait_for(lambda: dead.queue_declare(passive=True).message_count == 3)
            parked = [dead.get(no_ack=True) for _ in range(3)]
        reasons = {json.loads(message.body)["id"]: message.headers for message in parked}
        assert reasons[forged.id]["x-gia-error"] == (
            f"{ATTENDED} comes from {producer_source(ATTENDED)}, not from urn:probe"
        )
        assert reasons[unknown.id]["x-gia-error"] == (
            "municipality codes not in the register: GM9999"
        )
        assert reasons[survey.id]["x-gia-error"] == (
            f"{SURVEY_ANSWERED} arrived with routing key {ATTENDED}"
        )
        assert {headers["x-gia-queue"] for headers in reasons.values()} == {"indicators.events"}
        with consumer.db.transaction() as session:
            assert session.scalars(select(Evidence.municipality_code)).all() == [ROTTERDAM]
    finally:
        stop.set()
        thread.join(5)
        consumer.db.dispose()


def stored(db: Database) -> list[str]:
    with db.transaction() as session:
        return list(session.scalars(select(ReceivedEvent.id)))


def test_a_forgery_stored_before_the_check_counts_no_more_after_a_rebuild(
    real_settings: Settings,
) -> None:
    upgrade(real_settings, ("indicators",))
    consumer = build_consumer(real_settings)
    forged = attendance(source="urn:probe")
    try:
        consumer.apply([forged, attendance(code="GM9999")])  # as the consumer took them in once
        assert verify(consumer.db, consumer.trust)  # the live figures counted the forgery
        rebuild(consumer.db, consumer.trust, lambda _: None)
        assert verify(consumer.db, consumer.trust) == []
        with consumer.db.transaction() as session:
            assert session.scalars(select(Evidence)).all() == []
            kept = session.get(ReceivedEvent, forged.id)
            assert kept is not None and (kept.source, kept.data) == (forged.source, forged.data)
    finally:
        consumer.db.dispose()
