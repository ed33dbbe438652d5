"""A relay removes sent outbox rows older than GIA_OUTBOX_KEEP_DAYS, on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from gia import registry
from gia.migrations import upgrade
from services.registration.models import Outbox
from shared.clock import utcnow
from shared.db import Database
from shared.events.relay import PRUNE_BATCH, Relay
from shared.events.topology import broker_connection
from shared.settings import Settings
from tests.factories import wait_for

pytestmark = pytest.mark.services


def _row(key: str, created: datetime, sent: datetime | None) -> Outbox:
    return Outbox(id=key, type="t", subject="s", body=b"{}", created_at=created, sent_at=sent)


def test_the_relay_removes_old_sent_rows_in_batches_and_keeps_recent_and_pending_ones(
    real_settings: Settings,
) -> None:
    assert real_settings.outbox_keep_days == 30
    upgrade(real_settings, ("registration",))
    db = Database.for_service(real_settings, "registration")
    now = utcnow()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    stop = threading.Event()
    relay = Relay(
        db,
        Outbox,
        lambda: broker_connection(real_settings),
        registry.topology(real_settings),
        keep_sent=timedelta(days=real_settings.outbox_keep_days),
    )

    def ids() -> set[str]:
        with db.transaction() as session:
            return set(session.scalars(select(Outbox.id)))

    try:
        with db.transaction() as session:
            session.add_all(_row(f"old-{n}", old, old) for n in range(PRUNE_BATCH + 5))
            session.add(_row("recent", recent, recent))
        # A pending row is claimed by the relay: hold it locked so it stays unsent.
        with db.transaction() as session:
            session.add(_row("pending", old, None))
        with db.engine.connect() as holder, holder.begin():
            holder.execute(select(Outbox.id).where(Outbox.id == "pending").with_for_update())
            running = threading.Thread(target=relay.run, args=(stop,))
            running.start()
            assert wait_for(lambda: ids() == {"recent", "pending"})
            stop.set()
            running.join(timeout=10)
        assert relay.prune_sent(now, timedelta(days=30)) == 0
    finally:
        stop.set()
        db.dispose()
