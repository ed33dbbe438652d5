"""The indicators database: every event received, kept whole."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from shared.events.inbox import InboxMixin


class Base(DeclarativeBase):
    pass


class ReceivedEvent(InboxMixin, Base):
    pass
