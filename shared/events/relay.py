"""Publishes outbox rows to RabbitMQ and marks them sent.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so several relays can run side
by side without sending a row twice; a row is marked sent only after the broker
confirmed it, in the same transaction that claimed it. If the broker is down the
transaction rolls back, the rows stay pending, and the relay backs off and
tries again.

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

from kombu import Connection
from sqlalchemy import delete, select, update

from shared.clock import utcnow
from shared.db import Database
from shared.events.outbox import OutboxMixin
from shared.events.publisher import ConfirmedPublisher, Outgoing
from shared.events.topology import Topology

log = logging.getLogger(__name__)

# An idle relay looks again soon, then less often, up to the longest wait an
# event may spend unseen in the outbox.
IDLE_POLL_SECONDS = 0.02
MAX_IDLE_POLL_SECONDS = 0.4
MAX_BACKOFF_SECONDS = 30.0
PRUNE_EVERY_SECONDS = 3600.0
# Rows removed per statement, so a long-idle outbox is pruned without one long lock.
PRUNE_BATCH = 1000


class Relay:
    def __init__(
        self,
        db: Database,
        outbox_model: type[OutboxMixin],
        connect: Callable[[], Connection],
        topology: Topology,
        batch_size: int = 500,
        keep_sent: timedelta | None = None,
    ) -> None:
        self.db = db
        self.outbox = outbox_model
        self.connect = connect
        self.topology = topology
        self.batch_size = batch_size
        self.keep_sent = keep_sent
        self._connection: Connection | None = None
        self._publisher: ConfirmedPublisher | None = None

    def _ensure_publisher(self) -> ConfirmedPublisher:
        if self._publisher is None:
            connection = self.connect()
            connection.ensure_connection(max_retries=1, interval_start=0)
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

    def run(self, stop: threading.Event) -> None:
        backoff = 0.5
        idle = IDLE_POLL_SECONDS
        prune_due = time.monotonic()
        while not stop.is_set():
            prune_due = self._prune_if_due(prune_due)
            try:
                sent = self.publish_pending()
                backoff = 0.5
            except Exception as error:  # broker or database trouble: keep the rows, retry later
                log.warning("relay could not publish, retrying in %.1fs: %s", backoff, error)
                self.close()
                try:
                    self._note_failure(error)
                except Exception:
                    log.exception("relay could not record the failed attempt")
                stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            idle = IDLE_POLL_SECONDS if sent else min(idle * 2, MAX_IDLE_POLL_SECONDS)
            if sent < self.batch_size:
                stop.wait(idle)
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
