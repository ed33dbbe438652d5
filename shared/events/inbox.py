"""The inbox of a consuming service: every event it processed, kept whole.

The event id is the primary key, so a redelivered or duplicated event finds
itself already there and has no second effect. Keeping the whole event lets a
service rebuild its state from scratch.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.clock import utcnow
from shared.db import UtcDateTime


class InboxMixin:
    __tablename__ = "received_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    type: Mapped[str] = mapped_column(String(120), index=True)
    source: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    time: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
