"""The messages parked on the consumers' dead queues: listed, shown, replayed or dropped.

A consumer parks what it cannot take (``parked_copy``), and RabbitMQ what a consumer kept
failing on (past the delivery limit), on the consumer's own dead queue. Staff look at them
(``gia dead``, the indicators' staff page) and, once the cause is fixed, replay them onto
the events exchange under their original routing key, or drop them.

AMQP 0.9.1 cannot look at a queue without taking its messages, and a quorum queue gives a
message it got back to the next basic.get at once, so each call here takes every message of
the dead queues unacknowledged, acknowledges the ones it replayed or dropped, and gives the
rest back by closing its channel. Dead queues are small (a few thousand messages at most)
and nobody consumes them; while a call holds them, another reader finds them empty.

A message is known by its ``message_id``, else the ``id`` of the CloudEvent in its body,
else a hash of its body (``identify``); every parked message with that id is replayed or
dropped together (a duplicate parked twice, or one event parked by two consumers).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kombu import Connection, Queue
from kombu.message import Message
from kombu.transport.virtual.exchange import TopicExchange
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from shared.clock import utcnow
from shared.events.envelope import CONTENT_TYPE
from shared.events.publisher import ConfirmedPublisher, Outgoing
from shared.events.topology import Topology, broker_connection
from shared.settings import Settings

log = logging.getLogger(__name__)

# Who looks after parked messages connects as this broker user (GIA_DEAD_LETTERS_BROKER_URL,
# else the process's own): it may read the dead queues and publish any event again, which
# no service's own user may.
BROKER_ROLE = "dead_letters"

# What a consumer adds to a message it parks.
REASON = "x-gia-error"
QUEUE = "x-gia-queue"
ROUTING_KEY = "x-gia-routing-key"
PARKED_AT = "x-gia-parked-at"
DELIVERIES = "x-gia-deliveries"


def connect(settings: Settings, **kwargs: Any) -> Connection:
    """The broker, as the user who may look after parked messages."""
    return broker_connection(settings.for_service(BROKER_ROLE), **kwargs)


def parked_copy(message: Message, queue: str, reason: str) -> Outgoing:
    """What the consumer of ``queue`` puts on the dead-letter exchange for a message it cannot
    take: the message as it came, under the queue's name (which reaches its dead queue
    alone), with why, when, how often it was delivered, and the routing key to replay it
    under."""
    return Outgoing(
        message.body,
        routing_key=queue,
        message_id=message.properties.get("message_id"),
        headers={
            REASON: reason[:1000],
            QUEUE: queue,
            ROUTING_KEY: message.delivery_info.get("routing_key") or "",
            PARKED_AT: utcnow().isoformat(),
            # A quorum queue counts the earlier deliveries; the file broker does not.
            DELIVERIES: int(message.headers.get("x-delivery-count") or 0) + 1,
        },
        content_type=message.content_type or CONTENT_TYPE,
        content_encoding=message.content_encoding,
    )


@dataclass(frozen=True)
class Parked:
    consumer: str
    id: str
    type: str | None
    source: str | None
    routing_key: str  # the original one, to replay it under
    reason: str
    parked_at: datetime | None
    deliveries: int | None  # to the consumer, before it was parked; None: not known
    headers: dict[str, Any]
    body: bytes
    content_type: str | None
    content_encoding: str | None

    @property
    def pretty_body(self) -> str:
        try:
            return json.dumps(json.loads(self.body), indent=2, ensure_ascii=False)
        except ValueError:
            return self.body.decode("utf-8", errors="replace")


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        found = json.loads(body)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _parked_at(stamp: object, deaths: list[dict[str, Any]]) -> datetime | None:
    """When it was first parked: the consumer's stamp, else RabbitMQ's first x-death."""
    if isinstance(stamp, str):
        try:
            return datetime.fromisoformat(stamp)
        except ValueError:
            pass
    times = [death["time"] for death in deaths if isinstance(death.get("time"), datetime)]
    first = min(times, default=None)
    return first.replace(tzinfo=UTC) if first and not first.tzinfo else first


def identify(message_id: object, body: bytes) -> str:
    """How a parked message is known: its message_id, else its CloudEvent's id, else (not an
    event at all) a hash of its body; the same on every look."""
    return (
        _text(message_id)
        or _text(_json_object(body).get("id"))
        or f"body-{hashlib.sha256(body).hexdigest()[:16]}"
    )


def _describe(consumer: str, message: Message) -> Parked:
    headers = dict(message.headers or {})
    body = message.body if isinstance(message.body, bytes) else message.body.encode()
    data = _json_object(body)
    # RabbitMQ's own dead-lettering records the original routing key and the time in x-death.
    deaths = [death for death in headers.get("x-death") or [] if isinstance(death, dict)]
    first_death = deaths[-1] if deaths else {}
    return Parked(
        consumer=consumer,
        id=identify(message.properties.get("message_id"), body),
        type=_text(data.get("type")),
        source=_text(data.get("source")),
        routing_key=headers.get(ROUTING_KEY)
        or next(iter(first_death.get("routing-keys") or []), None)
        or message.delivery_info.get("routing_key")  # parked before the header existed
        or "",
        reason=headers.get(REASON)
        or f"dead-lettered by RabbitMQ: {headers.get('x-first-death-reason', 'unknown')}",
        parked_at=_parked_at(headers.get(PARKED_AT), deaths),
        deliveries=headers.get(DELIVERIES),
        headers=headers,
        body=body,
        content_type=message.content_type,
        content_encoding=message.content_encoding,
    )


@contextmanager
def _holding(
    connection: Connection, topology: Topology, consumer: str | None = None
) -> Iterator[list[tuple[Parked, Message]]]:
    """Every parked message (of ``consumer``), taken unacknowledged; what the caller does not
    acknowledge goes back when the channel closes."""
    topology.declare(connection)
    channel = connection.channel()
    try:
        held: list[tuple[Parked, Message]] = []
        for name, queue in topology.dead_queues.items():
            if consumer in (None, name):
                bound = queue.bind(channel)
                while (message := bound.get(no_ack=False)) is not None:
                    held.append((_describe(name, message), message))
        yield held
    finally:
        channel.close()


def parked(connection: Connection, topology: Topology, consumer: str | None = None) -> list[Parked]:
    """The parked messages (of ``consumer``), the first parked first."""
    with _holding(connection, topology, consumer) as held:
        found = [described for described, _ in held]
    never = datetime.min.replace(tzinfo=UTC)
    return sorted(found, key=lambda p: (p.parked_at or never, p.consumer, p.id))


def _reaches(queue: Queue, routing_key: str) -> bool:
    """Whether a binding of the consumer's queue takes the routing key: the broker confirms a
    message that no queue takes, so replaying it would lose it."""
    topic = TopicExchange(None)
    return any(re.match(topic.key_to_pattern(b.routing_key), routing_key) for b in queue.bindings)


@dataclass(frozen=True)
class Replayed:
    done: list[Parked]
    left: list[Parked]  # no binding of their consumer's queue takes their routing key


def replay(
    connection: Connection, topology: Topology, ids: Collection[str] | None = None
) -> Replayed:
    """Publish the parked messages ``ids`` (None: all) to the events exchange under their
    original routing key, and remove them from their dead queue once the broker confirmed
    them all; on a refusal or time-out nothing is removed (so some may come twice, which the
    consumers' inboxes skip)."""
    wanted = None if ids is None else set(ids)
    publisher = ConfirmedPublisher(connection, topology.events)
    with _holding(connection, topology) as held:
        going: list[tuple[Parked, Message]] = []
        left: list[Parked] = []
        for p, message in held:
            if wanted is None or p.id in wanted:
                if _reaches(topology.queues[p.consumer], p.routing_key):
                    going.append((p, message))
                else:
                    left.append(p)
        publisher.publish(
            Outgoing(
                p.body,
                routing_key=p.routing_key,
                message_id=p.id,
                content_type=p.content_type or CONTENT_TYPE,
                content_encoding=p.content_encoding,
            )
            for p, _ in going
        )
        for _, message in going:
            message.ack()
    return Replayed(done=[p for p, _ in going], left=left)


def drop(connection: Connection, topology: Topology, ids: Collection[str]) -> list[Parked]:
    """Remove the parked messages ``ids`` for good."""
    wanted = set(ids)
    with _holding(connection, topology) as held:
        chosen = [(p, message) for p, message in held if p.id in wanted]
        for _, message in chosen:
            message.ack()
    return [p for p, _ in chosen]


def counts(connection: Connection, topology: Topology) -> dict[str, int]:
    """The messages waiting on each dead queue, by its name (not those a call here holds)."""
    channel = connection.default_channel
    return {
        queue.name: queue.bind(channel).queue_declare(passive=True).message_count
        for queue in topology.dead_queues.values()
    }


class ParkedGauge(Collector):
    """``gia_dead_letters``: the messages on each dead queue, counted when Prometheus scrapes.

    Under gunicorn the workers' metrics are files the master adds up; a gauge a worker set
    when its page read the queues would be as old as the last look, and the workers' values
    could not be added. So the master counts (a passive declare per dead queue) at each
    scrape, one number per queue however many workers. A broker counts the messages ready on
    a queue, so the ones a look holds at that instant (a fraction of a second) are missed;
    a broker that does not answer leaves the metric out of that scrape rather than saying 0.
    """

    def __init__(self, connect: Callable[[], Connection], topology: Topology) -> None:
        self.connect = connect
        self.topology = topology

    def collect(self) -> Iterator[Metric]:
        try:
            with self.connect() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                found = counts(connection, self.topology)
        except Exception as error:  # any failure means no figure, reported, never raised
            log.warning("dead queues not counted: %s", error)
            return
        gauge = GaugeMetricFamily(
            "gia_dead_letters", "Messages parked on a consumer's dead queue", labels=["queue"]
        )
        for queue, count in found.items():
            gauge.add_metric([queue], count)
        yield gauge


def collectors(settings: Settings, topology: Topology) -> list[Collector]:
    """What the gunicorn master of the service whose staff look after parked messages counts
    when scraped (``gia.metrics``)."""
    return [ParkedGauge(lambda: connect(settings, connect_timeout=2), topology)]
