"""Publishes outbox rows to RabbitMQ and marks them sent.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several relays can run side
by side without sending a row twice; a row is marked sent only after the broker
confirmed it, in the same transaction that claimed it. If the broker is down the
transaction rolls back, the rows stay pending, and the relay backs off and
tries again (``shared.events.backoff``: never longer than a few seconds).

On PostgreSQL an idle relay waits for the outbox trigger's notification of a new row
(``OutboxListener``) and looks on its own only every LISTENING_POLL_SECONDS; on SQLite it
polls.

Each relay also removes its sent rows once they are older than ``keep_sent``
(``GIA_OUTBOX_KEEP_DAYS``), an hourly look in the same loop, so no process of
its own is needed; pending rows are never removed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import psycopg
from kombu import Connection
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError

from shared.clock import utcnow
from shared.db import Database
from shared.events.backoff import Backoff
from shared.events.outbox import NOTIFY_CHANNEL, OutboxMixin
from shared.events.publisher import ConfirmedPublisher, Outgoing
from shared.events.topology import Topology, tries_per_node
from shared.heartbeat import NO_HEARTBEAT, Heartbeat

log = logging.getLogger(__name__)

# A polling relay looks again soon, then less often, up to the longest wait an
# event may spend unseen in the outbox.
IDLE_POLL_SECONDS = 0.02
MAX_IDLE_POLL_SECONDS = 0.4
# A listening relay is woken by each new row; it looks on its own this often all the same.
LISTENING_POLL_SECONDS = 5.0
# How soon a waiting relay notices it is asked to stop.
STOP_CHECK_SECONDS = 0.25
PRUNE_EVERY_SECONDS = 3600.0
# Rows removed per statement, so a long-idle outbox is pruned without one long lock.
PRUNE_BATCH = 1000


class OutboxListener:
    """LISTENs on a connection of its own for the rows the outbox trigger announces
    (``shared.migrations.add_outbox_notify``)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._connection: psycopg.Connection[Any] | None = None
        self._schema = ""
        self._retry_at = 0.0

    @property
    def connected(self) -> bool:
        return self._connection is not None

    def listen(self) -> None:
        """Connect and LISTEN where not yet done; after a failure, not again for
        LISTENING_POLL_SECONDS, while the relay polls."""
        if self._connection is None and time.monotonic() >= self._retry_at:
            pooled = None
            try:
                pooled = self.db.engine.raw_connection()
                connection = pooled.driver_connection
                pooled.detach()  # it stays in LISTEN: never hand it to a transaction
                connection.autocommit = True
                connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                self._schema = connection.execute("SELECT current_schema()").fetchone()[0]
                self._connection = connection
            except (psycopg.Error, DBAPIError) as error:
                log.warning("relay cannot listen for new outbox rows, polling: %s", error)
                if pooled is not None:
                    pooled.close()
                self._retry_at = time.monotonic() + LISTENING_POLL_SECONDS

    def wait(self, seconds: float) -> bool:
        """True once a row was added to this outbox, or the connection was lost (so look);
        False after ``seconds`` without."""
        assert self._connection is not None
        try:
            return any(
                notify.payload == self._schema
                for notify in self._connection.notifies(timeout=seconds)
            )
        except psycopg.Error as error:
            log.warning("relay stopped listening for new outbox rows: %s", error)
            self.close()
            return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None


class Relay:
    def __init__(
        self,
        db: Database,
        outbox_model: type[OutboxMixin],
        connect: Callable[[], Connection],
        topology: Topology,
        batch_size: int = 500,
        keep_sent: timedelta | None = None,
        listening_poll: float = LISTENING_POLL_SECONDS,
    ) -> None:
        self.db = db
        self.outbox = outbox_model
        self.connect = connect
        self.topology = topology
        self.batch_size = batch_size
        self.keep_sent = keep_sent
        self.listening_poll = listening_poll
        self._listener = OutboxListener(db) if db.is_postgres else None
        self._connection: Connection | None = None
        self._publisher: ConfirmedPublisher | None = None

    def _ensure_publisher(self) -> ConfirmedPublisher:
        if self._publisher is None:
            connection = self.connect()
            connection.ensure_connection(max_retries=tries_per_node(connection), interval_start=0)
            self.topology.declare(connection)
            self._connection = connection
            self._publisher = ConfirmedPublisher(connection, self.topology.events)
        return self._publisher

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()
        self._connection = None
        self._publisher = None

    def publish_pending(self) -> int:
        """Send one batch of pending rows; returns how many were sent."""
        outbox = self.outbox
        with self.db.transaction() as session:
            rows = session.execute(
                select(outbox.id, outbox.type, outbox.body)
                .where(outbox.sent_at.is_(None))
                .order_by(outbox.created_at)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            if not rows:
                return 0
            self._ensure_publisher().publish(
                Outgoing(row.body, routing_key=row.type, message_id=row.id) for row in rows
            )
            session.execute(
                update(outbox)
                .where(outbox.id.in_([row.id for row in rows]))
                .values(sent_at=utcnow(), attempts=outbox.attempts + 1)
            )
        return len(rows)

    def prune_sent(self, now: datetime, keep: timedelta) -> int:
        """Remove rows sent before ``now - keep``, in batches; returns how many went."""
        outbox = self.outbox
        removed = 0
        while True:
            with self.db.transaction() as session:
                batch = (
                    select(outbox.id)
                    .where(outbox.sent_at.is_not(None), outbox.sent_at < now - keep)
                    .limit(PRUNE_BATCH)
                    .scalar_subquery()
                )
                count = session.execute(delete(outbox).where(outbox.id.in_(batch))).rowcount
            removed += count
            if count < PRUNE_BATCH:
                return removed

    def _prune_if_due(self, due: float) -> float:
        """Prune when ``due`` (monotonic) has passed; returns when to look next."""
        if self.keep_sent is None or time.monotonic() < due:
            return due
        try:
            removed = self.prune_sent(utcnow(), self.keep_sent)
            if removed:
                log.info("relay removed %d sent outbox row(s)", removed)
        except Exception:  # the database is away: publishing retries, pruning waits an hour
            log.exception("relay could not remove sent outbox rows")
        return time.monotonic() + PRUNE_EVERY_SECONDS

    def _note_failure(self, error: Exception) -> None:
        """Count the failed attempt on the oldest pending rows, so staff can see a stuck outbox."""
        outbox = self.outbox
        with self.db.transaction() as session:
            oldest = (
                select(outbox.id)
                .where(outbox.sent_at.is_(None))
                .order_by(outbox.created_at)
                .limit(self.batch_size)
                .scalar_subquery()
            )
            session.execute(
                update(outbox)
                .where(outbox.id.in_(oldest))
                .values(attempts=outbox.attempts + 1, last_error=str(error)[:500])
            )

    def _await_rows(self, stop: threading.Event, heartbeat: Heartbeat, idle: float) -> None:
        """Wait until a new row is announced, at most ``listening_poll``; when not listening,
        ``idle`` seconds."""
        if self._listener is None or not self._listener.connected:
            heartbeat.wait(stop, idle)
            return
        deadline = time.monotonic() + self.listening_poll
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            heartbeat.beat()
            if self._listener.wait(min(left, STOP_CHECK_SECONDS)):
                return

    def run(self, stop: threading.Event, heartbeat: Heartbeat = NO_HEARTBEAT) -> None:
        backoff = Backoff()
        idle = IDLE_POLL_SECONDS
        prune_due = time.monotonic()
        while not stop.is_set():
            heartbeat.beat()
            prune_due = self._prune_if_due(prune_due)
            if self._listener is not None:
                # Listening before the look: a row committed after it is announced.
                self._listener.listen()
            try:
                sent = self.publish_pending()
                backoff.reset()
            except Exception as error:  # broker or database trouble: keep the rows, retry later
                wait = backoff.next()
                log.warning("relay could not publish, retrying in %.1fs: %s", wait, error)
                self.close()
                try:
                    self._note_failure(error)
                except Exception:
                    log.exception("relay could not record the failed attempt")
                heartbeat.wait(stop, wait)
                continue
            idle = IDLE_POLL_SECONDS if sent else min(idle * 2, MAX_IDLE_POLL_SECONDS)
            if sent < self.batch_size:
                self._await_rows(stop, heartbeat, idle)
        if self._listener is not None:
            self._listener.close()
        self.close()


def wait_until_drained(db: Database, outbox_model: type[OutboxMixin], timeout: float) -> bool:
    """True once no row is pending; used by tests and the benchmark."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.transaction() as session:
            pending = session.scalar(
                select(outbox_model.id).where(outbox_model.sent_at.is_(None)).limit(1)
            )
        if pending is None:
            return True
        time.sleep(0.02)
    return False
