"""Parked messages on the real RabbitMQ and PostgreSQL, and on the embedded default (the file
broker and SQLite): listed with their reason by ``gia dead`` and on the indicators' staff page,
replayed once their cause is fixed (counted once, gone from the dead queue) or dropped; the page
for staff alone; the ``gia_dead_letters`` gauge; and the queues as RabbitMQ made them,
dead-lettering at least once."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from kombu import Queue
from sqlalchemy.orm import Session

from gia import registry
from gia.cli import main
from gia.migrations import upgrade
from services.indicators.app import create_app
from services.indicators.consumer import build_consumer
from services.indicators.models import ReceivedEvent
from shared.db import Database
from shared.events import dead_letters
from shared.events.catalogue import ATTENDED
from shared.events.consumer import EventConsumer
from shared.events.envelope import Event, new_event
from shared.events.topology import (
    DELIVERY_LIMIT,
    Topology,
    TopologyMismatch,
    broker_connection,
)
from shared.events.trust import Trust
from shared.municipalities import load_register
from shared.settings import Settings, load_settings
from tests.e2e.test_gia_run import wait_until
from tests.factories import attendance_data, producer_source, publish_raw, serving, wait_for
from tests.integration.tcp_proxy import free_port
from tests.integration.test_event_backbone import received, running
from tests.integration.test_event_trust import attendance, publish_as, settings, vhost
from tests.integration.test_indicators_pages import logged_in
from tests.integration.test_metrics_port import fetch
from tests.isolation import unavailable

RABBITMQ = pytest.param("rabbitmq", marks=pytest.mark.services)
ON_RABBITMQ_ONLY = pytest.mark.parametrize("scene", [RABBITMQ], indirect=True)
POISON = b"{not an event"
POISON_ID = dead_letters.identify(None, POISON)
__all__ = ["settings", "vhost"]  # fixtures: the shipped users, for the dead-letters user's test


def broken_projection(session: Session, events: list[Event]) -> None:
    raise RuntimeError("the projection has a bug")


@dataclass
class Scene:
    """A valid event whose handler failed and a poison message, both parked by the indicators'
    consumer."""

    env: dict[str, str]
    settings: Settings
    topology: Topology
    event: Event
    db: Database

    def waiting(self) -> dict[str, int]:
        """Messages on each consumer's dead queue."""
        with broker_connection(self.settings) as connection:
            found = dead_letters.counts(connection, self.topology)
        return {name: found[queue.name] for name, queue in self.topology.dead_queues.items()}

    def gia(self, *args: str) -> Result:
        return CliRunner().invoke(main, args, env=self.env)


@pytest.fixture(params=["embedded", RABBITMQ])
def scene(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Scene]:
    if request.param == "rabbitmq":
        env = request.getfixturevalue("real_env")
    else:
        # kombu keeps the file broker's bindings for the whole process: names of this test's own
        env = {
            "GIA_VAR_DIR": str(tmp_path),
            "GIA_SECRET_KEY": "k" * 40,
            "GIA_TOPOLOGY_PREFIX": f"{tmp_path.name}_",
        }
    configured = load_settings(env)
    upgrade(configured, ("indicators",))
    topology = registry.topology(configured)
    event = new_event(
        ATTENDED, source=producer_source(ATTENDED), subject="r", data=attendance_data()
    )
    publish_raw(configured, [(event.to_json(), ATTENDED), (POISON, ATTENDED)])
    db = Database.for_service(configured, "indicators")
    broken = EventConsumer(
        db,
        ReceivedEvent,
        broken_projection,
        lambda: broker_connection(configured),
        topology,
        "indicators",
        Trust(configured, load_register(None)),
        max_attempts=1,
    )
    found = Scene(env, configured, topology, event, db)
    stop, thread = running(broken.run)
    try:
        assert wait_for(lambda: found.waiting()["indicators"] == 2, timeout=20)
    finally:
        stop.set()
        thread.join(10)
    yield found
    db.dispose()


@pytest.fixture
def app(scene: Scene) -> Iterator[Flask]:
    with serving(create_app, scene.settings, "indicators", "auth") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        app.extensions["gia"].topology = scene.topology  # as gia.wsgi gives it
        yield app


def test_gia_dead_lists_each_message_with_its_reason_on_its_own_consumers_dead_queue(
    scene: Scene,
) -> None:
    assert scene.waiting() == {"indicators": 2, "practiceteam": 0}  # no copy for the other
    listed = scene.gia("dead", "list")
    assert listed.exit_code == 0, listed.output
    rows = {line.split("\t")[1]: line.split("\t") for line in listed.output.splitlines()}
    assert rows.keys() == {scene.event.id, POISON_ID}
    consumer, _, kind, source, key, reason, parked_at, deliveries = rows[scene.event.id]
    assert (consumer, kind, source, key) == ("indicators", ATTENDED, scene.event.source, ATTENDED)
    assert reason == "handler failed 1 times: the projection has a bug"
    assert parked_at and deliveries == "1"
    assert rows[POISON_ID][5].startswith("not a CloudEvent")
    assert scene.gia("dead", "list", "practiceteam").output == ""

    shown = scene.gia("dead", "show", scene.event.id)
    assert shown.exit_code == 0, shown.output
    assert "x-gia-error: handler failed 1 times" in shown.output
    assert f'\n  "type": "{ATTENDED}",\n' in shown.output  # the body, indented
    assert scene.gia("dead", "show", "no-such-id").exit_code == 1


def test_replayed_from_the_page_once_fixed_it_counts_once_and_leaves_its_dead_queue(
    scene: Scene, app: Flask
) -> None:
    staff = logged_in(app, "staff")
    page = staff.get("/geparkeerd").get_data(as_text=True)
    assert scene.event.id in page and POISON_ID in page
    assert "handler failed 1 times: the projection has a bug" in page
    assert "not a CloudEvent" in page and ATTENDED in page

    # The cause is fixed: the consumer runs with the real projection again.
    fixed = build_consumer(scene.settings, scene.db)
    stop, thread = running(fixed.run)
    try:
        replayed = staff.post("/geparkeerd/opnieuw", query_string={"id": scene.event.id})
        assert replayed.status_code == 302
        assert wait_for(lambda: received(scene.db) == 1)
        assert wait_for(lambda: scene.waiting()["indicators"] == 1)  # the poison alone
        # Replayed again (as a duplicate would come): the inbox counts it once.
        publish_raw(scene.settings, [(scene.event.to_json(), ATTENDED)])
        time.sleep(0.5)
        assert received(scene.db) == 1
    finally:
        stop.set()
        thread.join(10)
    after = staff.get("/geparkeerd").get_data(as_text=True)
    assert f"Bericht {scene.event.id} is opnieuw aangeboden." in after
    with broker_connection(scene.settings) as connection:
        left = dead_letters.parked(connection, scene.topology)
    assert [parked.id for parked in left] == [POISON_ID]


def test_dropping_asks_first_then_removes_the_message_for_good(scene: Scene, app: Flask) -> None:
    asked = scene.gia("dead", "drop", POISON_ID)  # no one answers the question
    assert asked.exit_code == 1 and "Aborted" in asked.output
    staff = logged_in(app, "staff")
    confirm = staff.get("/geparkeerd/verwijderen", query_string={"id": POISON_ID})
    assert confirm.status_code == 200 and "Ja, verwijderen" in confirm.get_data(as_text=True)
    assert scene.waiting()["indicators"] == 2

    dropped = staff.post("/geparkeerd/verwijderen", query_string={"id": POISON_ID})
    assert dropped.status_code == 302
    assert scene.waiting()["indicators"] == 1
    by_cli = scene.gia("dead", "drop", "--yes", scene.event.id)
    assert by_cli.exit_code == 0 and "1 message(s) dropped" in by_cli.output
    assert scene.waiting()["indicators"] == 0
    assert scene.gia("dead", "drop", "--yes", scene.event.id).exit_code == 1  # not parked


def test_the_page_and_its_buttons_are_for_staff_alone(scene: Scene, app: Flask) -> None:
    ask = {"id": POISON_ID}
    for client, refused in ((app.test_client(), 302), (logged_in(app, "jury"), 403)):
        assert client.get("/geparkeerd").status_code == refused
        assert client.get("/geparkeerd/verwijderen", query_string=ask).status_code == refused
        assert client.post("/geparkeerd/opnieuw", query_string=ask).status_code == refused
        assert client.post("/geparkeerd/verwijderen", query_string=ask).status_code == refused
    app.config["WTF_CSRF_ENABLED"] = True
    staff = logged_in(app, "staff")
    assert staff.post("/geparkeerd/verwijderen", query_string=ask).status_code == 400
    assert scene.waiting()["indicators"] == 2


@ON_RABBITMQ_ONLY
def test_the_indicators_metrics_count_the_parked_messages_per_dead_queue(
    scene: Scene, tmp_path: Path
) -> None:
    public, metrics = free_port(), free_port()
    env = {
        **scene.env,
        "GIA_INDICATORS_PORT": str(public),
        "GIA_INDICATORS_METRICS_PORT": str(metrics),
        "GIA_BIND": f"127.0.0.1:{public}",
        "GIA_WEB_WORKERS": "1",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gia", "serve", "indicators"],
            env=env,
            stdout=errors,
            stderr=errors,
            start_new_session=True,
        )
    try:
        scraped = wait_until(lambda: fetch(f"http://127.0.0.1:{metrics}/metrics"), timeout=30)
        assert scraped, log.read_text()
        counted = {
            line.split('"')[1]: float(line.split()[-1])
            for line in scraped.splitlines()
            if line.startswith("gia_dead_letters{")
        }
        dead = scene.topology.dead_queues
        assert counted == {dead["indicators"].name: 2.0, dead["practiceteam"].name: 0.0}, scraped
    finally:
        server.terminate()
        server.wait(timeout=30)


def arguments_on_rabbitmq() -> dict[str, dict[str, object]]:
    """Every queue's arguments as RabbitMQ made them (rabbitmqctl: 3.x lists [name, type,
    value] triples, 4.x an object)."""
    if shutil.which("rabbitmqctl") is None:
        unavailable("rabbitmqctl is not on PATH: it alone shows a queue's arguments")
    done = subprocess.run(
        ["rabbitmqctl", "-q", "list_queues", "name", "arguments", "--formatter", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return {
        queue["name"]: queue["arguments"]
        if isinstance(queue["arguments"], dict)
        else {name: value for name, _, value in queue["arguments"]}
        for queue in json.loads(done.stdout)
    }


@ON_RABBITMQ_ONLY
def test_rabbitmq_parks_what_a_consumer_keeps_failing_on_at_least_once_in_its_own_queue(
    scene: Scene,
) -> None:
    made = arguments_on_rabbitmq()
    for name, queue in scene.topology.queues.items():
        assert (
            made[queue.name].items()
            >= {
                "x-queue-type": "quorum",
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                "x-dead-letter-routing-key": queue.name,
            }.items()
        )
        assert made[scene.topology.dead_queues[name].name]["x-queue-type"] == "quorum"

    # A consumer that dies on a message: RabbitMQ parks it after the delivery limit, on the
    # consumer's own dead queue, keeping the routing key to replay it under.
    stuck = new_event(
        ATTENDED, source=producer_source(ATTENDED), subject="r", data=attendance_data()
    )
    publish_raw(scene.settings, [(stuck.to_json(), ATTENDED)])
    with broker_connection(scene.settings) as connection:
        queue = scene.topology.queues["indicators"].bind(connection.default_channel)
        deliveries, deadline = 0, time.monotonic() + 20
        while deliveries <= DELIVERY_LIMIT and time.monotonic() < deadline:
            delivered = queue.get(no_ack=False)
            if delivered is not None:
                delivered.reject(requeue=True)
                deliveries += 1
    assert wait_for(lambda: scene.waiting() == {"indicators": 3, "practiceteam": 0})
    with broker_connection(scene.settings) as connection:
        listed = {p.id: p for p in dead_letters.parked(connection, scene.topology)}
    assert listed[stuck.id].routing_key == ATTENDED
    assert listed[stuck.id].reason == "dead-lettered by RabbitMQ: delivery_limit"
    assert listed[stuck.id].parked_at is not None


@pytest.mark.services
def test_a_queue_made_with_other_arguments_says_how_to_move_it(
    real_env: dict[str, str], real_settings: Settings
) -> None:
    topology = registry.topology(real_settings)
    before = Queue(topology.dead_queues["indicators"].name, durable=True)  # classic, as it was
    with broker_connection(real_settings) as connection:
        before.bind(connection.default_channel).declare()
        with pytest.raises(TopologyMismatch, match="'Moving an existing broker'"):
            topology.declare(connection)
    said = CliRunner().invoke(main, ["dead", "list"], env=real_env)
    assert said.exit_code == 1 and "deploy/README.md" in said.output, said.output


@pytest.mark.services
def test_the_shipped_dead_letters_user_lists_replays_and_drops(settings: Settings) -> None:
    """As the shipped users: the indicators' consumer parks what it refuses, and the
    dead-letters user (no service's) reads it and publishes it again under any type."""
    shipped = settings.per_service(dead_letters.BROKER_ROLE, "BROKER_URL") or ""
    assert "gia-dead-letters:" in shipped  # not guest's GIA_BROKER_URL
    forged, unknown = attendance(source="urn:probe"), attendance(code="GM9999")
    publish_as(settings, "registration", [(forged, ATTENDED), (unknown, ATTENDED)])
    consumer = build_consumer(settings.for_service("indicators"))
    topology = registry.topology(settings)
    stop, thread = running(consumer.run)
    try:
        with dead_letters.connect(settings) as connection:
            assert wait_for(
                lambda: len(dead_letters.parked(connection, topology, "indicators")) == 2
            )
    finally:
        stop.set()
        thread.join(10)
        consumer.db.dispose()
    with dead_letters.connect(settings) as connection:
        assert [p.id for p in dead_letters.drop(connection, topology, [forged.id])] == [forged.id]
        replayed = dead_letters.replay(connection, topology)
        assert [p.id for p in replayed.done] == [unknown.id] and not replayed.left
    with broker_connection(settings) as connection:  # as guest
        events = topology.queues["indicators"].bind(connection.default_channel)
        assert events.queue_declare(passive=True).message_count == 1
        dead = topology.dead_queues["indicators"].name
        assert dead_letters.counts(connection, topology)[dead] == 0
