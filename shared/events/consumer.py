"""The consumer base: batches from a durable queue, one transaction, ack after commit.

- Messages are taken in batches (prefetch) and handled in one transaction; they
  are acknowledged only after it committed, so a crash means redelivery, never
  loss.
- The inbox makes that safe: an event whose id is already there is skipped.
- A message that is not a valid event, or an event its producer could not have
  sent (``shared.events.trust``), is parked on the consumer's dead queue at once
  with the reason in the header ``x-gia-error``; one whose handler keeps failing
  is parked after a few tries. Either way the queue moves on, and staff replay or
  drop what was parked (``shared.events.dead_letters``).
- When the database itself is unreachable nothing is parked: the batch waits
  and is tried again until the database is back.
- A lost broker or database is tried again after a few seconds at most
  (``shared.events.backoff``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress

from kombu import Connection
from kombu import Consumer as KombuConsumer
from kombu.message import Message
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shared.clock import utcnow
from shared.db import DATABASE_DOWN, Database
from shared.events.backoff import Backoff
from shared.events.dead_letters import parked_copy
from shared.events.envelope import Event, MalformedEvent, parse_event
from shared.events.inbox import InboxMixin
from shared.events.publisher import ConfirmedPublisher
from shared.events.topology import Topology, tries_per_node
from shared.events.trust import RefusedEvent, Trust
from shared.heartbeat import NO_HEARTBEAT, Heartbeat

log = logging.getLogger(__name__)

# Applies a batch of new events, in order, inside the batch transaction.
Projection = Callable[[Session, list[Event]], None]


def take_in(
    session: Session, inbox: type[InboxMixin], project: Projection, events: list[Event]
) -> int:
    """Project the events not yet in the inbox and keep them there; returns how many were new.

    The consumer does this per batch; a service that records an event of its own
    can do it in the transaction of the change, so the event counts exactly as
    one that came through the broker.
    """
    ids = [event.id for event in events]
    seen = set(session.scalars(select(inbox.id).where(inbox.id.in_(ids))))
    new = []
    received_at = utcnow()
    for event in events:
        if event.id not in seen:
            seen.add(event.id)
            new.append(event)
    project(session, new)
    if new:
        session.execute(
            insert(inbox.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": event.id,
                    "type": event.type,
                    "source": event.source,
                    "subject": event.subject,
                    "time": event.time,
                    "data": event.data,
                    "received_at": received_at,
                }
                for event in new
            ],
        )
    return len(new)


class EventConsumer:
    def __init__(
        self,
        db: Database,
        inbox_model: type[InboxMixin],
        project: Projection,
        connect: Callable[[], Connection],
        topology: Topology,
        queue: str,
        trust: Trust,
        batch_size: int = 200,
        max_wait: float = 0.02,
        max_attempts: int = 3,
    ) -> None:
        self.db = db
        self.inbox = inbox_model
        self.project = project
        self.connect = connect
        self.topology = topology
        self.queue = topology.queues[queue]
        self.trust = trust
        self.batch_size = batch_size
        self.max_wait = max_wait
        self.max_attempts = max_attempts
        self._heartbeat = NO_HEARTBEAT  # run's

    # -- applying events ---------------------------------------------------

    def apply(self, events: Iterable[Event]) -> int:
        """Apply new events in one transaction; returns how many were new."""
        with self.db.transaction() as session:
            return take_in(session, self.inbox, self.project, list(events))

    def _apply_until_database_answers(self, events: list[Event], stop: threading.Event) -> None:
        backoff = Backoff(0.2)
        while True:
            try:
                self.apply(events)
                return
            except DATABASE_DOWN as error:
                if stop.is_set():
                    raise
                wait = backoff.next()
                log.warning("database unavailable, retrying in %.1fs: %s", wait, error)
                self._heartbeat.wait(stop, wait)

    # -- one batch -----------------------------------------------------------

    def handle_batch(
        self,
        messages: list[Message],
        dead_letter: Callable[[Message, str], None],
        stop: threading.Event,
    ) -> None:
        parsed: list[tuple[Message, Event]] = []
        for message in messages:
            try:
                event = parse_event(message.body)
                self.trust.check_delivery(event, message.delivery_info.get("routing_key"))
            except (MalformedEvent, RefusedEvent) as error:
                log.warning("parking message %s: %s", message.properties.get("message_id"), error)
                dead_letter(message, str(error))
                message.ack()
            else:
                parsed.append((message, event))
        if not parsed:
            return
        try:
            self._apply_until_database_answers([event for _, event in parsed], stop)
        except DATABASE_DOWN:
            raise
        except Exception:
            log.exception("batch failed, handling its %d events one by one", len(parsed))
            for message, event in parsed:
                self._handle_alone(message, event, dead_letter, stop)
            return
        for message, _ in parsed:
            message.ack()

    def _handle_alone(
        self,
        message: Message,
        event: Event,
        dead_letter: Callable[[Message, str], None],
        stop: threading.Event,
    ) -> None:
        for attempt in range(self.max_attempts):
            try:
                self._apply_until_database_answers([event], stop)
            except DATABASE_DOWN:
                raise
            except Exception as error:
                log.warning(
                    "event %s failed (attempt %d of %d): %s",
                    event.id,
                    attempt + 1,
                    self.max_attempts,
                    error,
                )
                last_error = error
                time.sleep(0.05 * 2**attempt)
            else:
                message.ack()
                return
        dead_letter(message, f"handler failed {self.max_attempts} times: {last_error}")
        message.ack()

    # -- the loop --------------------------------------------------------------

    def _consume(self, connection: Connection, stop: threading.Event) -> None:
        self.topology.declare(connection)
        parking = ConfirmedPublisher(connection, self.topology.dead)

        def dead_letter(message: Message, reason: str) -> None:
            parking.publish([parked_copy(message, self.queue.name, reason)])

        buffer: list[Message] = []
        consumer = KombuConsumer(
            connection.default_channel,
            queues=[self.queue],
            on_message=buffer.append,
            prefetch_count=self.batch_size * 2,
            no_ack=False,
            auto_declare=False,  # declared above, as far as this user may
        )
        with consumer:
            first_at = 0.0
            while not stop.is_set():
                self._heartbeat.beat()
                with suppress(TimeoutError):
                    connection.drain_events(timeout=self.max_wait)
                if not buffer:
                    continue
                if not first_at:
                    first_at = time.monotonic()
                full = len(buffer) >= self.batch_size
                if full or time.monotonic() - first_at >= self.max_wait:
                    batch, buffer[:] = list(buffer), []
                    first_at = 0.0
                    self.handle_batch(batch, dead_letter, stop)

    def run(self, stop: threading.Event, heartbeat: Heartbeat = NO_HEARTBEAT) -> None:
        self._heartbeat = heartbeat
        backoff = Backoff()
        while not stop.is_set():
            heartbeat.beat()
            try:
                with self.connect() as connection:
                    connection.ensure_connection(max_retries=tries_per_node(connection))
                    backoff.reset()
                    self._consume(connection, stop)
            except Exception as error:
                if stop.is_set():
                    break
                wait = backoff.next()
                log.warning("consumer lost its connection, retrying in %.1fs: %s", wait, error)
                heartbeat.wait(stop, wait)
