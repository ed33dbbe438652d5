"""The transactional outbox: an event is a row written in the same transaction as the change.

Nothing is published from a request. The relay (``shared.events.relay``) sends
the rows later, so a change and its event are committed together or not at all,
and an event survives a broker that is down. On PostgreSQL a trigger announces every
insert on NOTIFY_CHANNEL (``shared.migrations.add_outbox_notify``), so the relay need not
poll for new rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, LargeBinary, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from shared.clock import utcnow
from shared.db import UtcDateTime, pending_index
from shared.events.envelope import Event, new_event

# The payload is the schema of the outbox that got a row, so each relay wakes for its own.
NOTIFY_CHANNEL = "gia_outbox"


class OutboxMixin:
    """Columns of a service's ``outbox`` table; each service maps it on its own Base."""

    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (pending_index("ix_outbox_pending", cls.sent_at),)  # type: ignore[attr-defined]


class EventRecorder:
    """Adds events to a service's outbox inside the caller's transaction."""

    def __init__(self, outbox_model: type[OutboxMixin], source: str) -> None:
        self.outbox_model = outbox_model
        self.source = source

    def record(
        self, session: Session, event_type: str, *, subject: str, data: dict[str, Any]
    ) -> Event:
        event = new_event(event_type, source=self.source, subject=subject, data=data)
        session.add(
            self.outbox_model(
                id=event.id,
                type=event.type,
                subject=event.subject,
                body=event.to_json(),
                created_at=event.time,
                attempts=0,
            )
        )
        return event


def backlog(session: Session, outbox_model: type[OutboxMixin]) -> tuple[int, datetime | None]:
    """How many rows are pending, and when the oldest of them was written."""
    outbox = outbox_model
    count, oldest = session.execute(
        select(func.count(), func.min(outbox.created_at)).where(outbox.sent_at.is_(None))
    ).one()
    return count, oldest
