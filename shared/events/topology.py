"""The one place that names the exchanges, queues and bindings.

kombu's virtual transports (the file-based broker of the embedded default)
keep exchange bindings inside the process that declared them: a publisher that
has not declared the consumers' queues itself drops its messages without a
word. So every process that publishes or consumes declares all of it at start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kombu import Connection, Exchange, Queue, binding

from shared.settings import Settings

# Deliveries of one message before RabbitMQ parks it, a backstop for a consumer
# that keeps dying on it; the consumer's own bounded retries come first.
DELIVERY_LIMIT = 20
# A dead queue is only looked at (``shared.events.dead_letters``), and every look gives the
# messages back, which counts as a delivery before RabbitMQ 4.3; since 4.0 a quorum queue
# drops a message past its delivery limit, 20 unless set. No look may reach this one (-1,
# "no limit" on 4.x, drops at once on 3.x).
DEAD_DELIVERY_LIMIT = 2**31 - 1
ACCESS_REFUSED = 403  # the AMQP reply code of a permission the broker user lacks
PRECONDITION_FAILED = 406  # ... and of a queue or exchange that exists with other arguments


class TopologyMismatch(RuntimeError):
    """The broker has a queue or exchange of this name with other arguments."""


@dataclass(frozen=True)
class Topology:
    events: Exchange
    dead: Exchange
    queues: dict[str, Queue]
    dead_queues: dict[str, Queue]

    def declare(self, connection: Connection) -> None:
        """Declare everything; what this broker user may not configure must exist already.

        On RabbitMQ each service connects as its own user, which may not configure
        the exchanges and queues (deploy/rabbitmq/definitions.json makes them): for
        those it only checks, passively, that they are there.
        """
        for entity in (self.events, self.dead, *self.queues.values(), *self.dead_queues.values()):
            try:
                with connection.channel() as channel:
                    entity.bind(channel).declare()
            except connection.channel_errors as error:
                code = getattr(error, "code", None)
                if code == PRECONDITION_FAILED:
                    raise TopologyMismatch(
                        f"{entity.name} exists on the broker with other arguments ({error}); "
                        "an existing queue keeps them: move it as deploy/README.md says under "
                        "'Moving an existing broker'"
                    ) from error
                if code != ACCESS_REFUSED:
                    raise
                # The refusal closed that channel.
                with connection.channel() as channel:
                    if isinstance(entity, Queue):
                        entity.bind(channel).queue_declare(passive=True)
                    else:
                        entity.bind(channel).declare(passive=True)

    def all_queues(self) -> list[Queue]:
        return [*self.queues.values(), *self.dead_queues.values()]


def broker_connection(settings: Settings, **kwargs: Any) -> Connection:
    """A kombu connection; on the file broker it polls often enough for live figures.

    Publishers confirm whole batches themselves (``shared.events.publisher``).
    """
    url = settings.effective_broker_url
    if url.startswith("filesystem"):
        settings.broker_dir.mkdir(parents=True, exist_ok=True)
        (settings.broker_dir / "processed").mkdir(exist_ok=True)
        options = {
            "data_folder_in": str(settings.broker_dir),
            "data_folder_out": str(settings.broker_dir),
            "processed_folder": str(settings.broker_dir / "processed"),
            # The exchanges' bindings, which kombu otherwise keeps in the working directory.
            "control_folder": str(settings.broker_dir / "control"),
            "store_processed": False,
            "polling_interval": 0.05,
        }
        return Connection(url, transport_options=options, **kwargs)
    return Connection(url, **kwargs)


def tries_per_node(connection: Connection) -> int:
    """``max_retries`` for a connect that tries each broker node once: with fail-over URLs
    (``amqp://a;amqp://b;amqp://c``) kombu moves to the next node per retry, so one retry
    would never reach the third."""
    return max(1, len(connection.alt))


def build_topology(settings: Settings, consumers: Mapping[str, Sequence[str]]) -> Topology:
    """The exchanges, and for each consumer (by name) a queue bound to its routing keys and a
    dead queue of its own.

    On RabbitMQ both are quorum queues. What a consumer parks, or RabbitMQ dead-letters past
    the delivery limit, goes to ``gia.dead`` under the consumer queue's name, so it reaches
    that consumer's dead queue alone; RabbitMQ dead-letters at least once (it keeps the
    message until the dead queue confirmed it), which needs ``reject-publish`` overflow.
    """
    prefix = settings.topology_prefix
    on_rabbitmq = settings.effective_broker_url.startswith(("amqp", "pyamqp"))
    events = Exchange(f"{prefix}gia.events", type="topic", durable=True)
    dead = Exchange(f"{prefix}gia.dead", type="topic", durable=True)
    queues: dict[str, Queue] = {}
    dead_queues: dict[str, Queue] = {}
    for name, keys in consumers.items():
        queue = f"{prefix}{name}.events"
        queues[name] = Queue(
            queue,
            events,
            bindings=[binding(events, routing_key=key) for key in keys],
            durable=True,
            queue_arguments={
                "x-queue-type": "quorum",
                "x-dead-letter-exchange": dead.name,
                "x-dead-letter-routing-key": queue,
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                "x-delivery-limit": DELIVERY_LIMIT,
            }
            if on_rabbitmq
            else None,
        )
        dead_queues[name] = Queue(
            f"{prefix}{name}.dead",
            dead,
            routing_key=queue,
            durable=True,
            queue_arguments={"x-queue-type": "quorum", "x-delivery-limit": DEAD_DELIVERY_LIMIT}
            if on_rabbitmq
            else None,
        )
    return Topology(events=events, dead=dead, queues=queues, dead_queues=dead_queues)
