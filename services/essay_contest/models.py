"""The essay contest database (its essays arrive with their own issue)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from shared.events.outbox import OutboxMixin


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass
