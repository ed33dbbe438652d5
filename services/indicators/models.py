"""The indicators database: every event received, and the evidence it gave."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, and_, or_
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from shared.db import UtcDateTime
from shared.events.inbox import InboxMixin


class Base(DeclarativeBase):
    pass


class ReceivedEvent(InboxMixin, Base):
    pass


class Evidence(Base):
    """One basis (an attendance, a survey answer) for one indicator of one municipality.

    It keeps the latest time it was given and the latest time it was withdrawn,
    so events applied in any order end in the same state: evidence holds when
    it was given after it was last withdrawn.
    """

    __tablename__ = "evidence"

    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    basis: Mapped[str] = mapped_column(String(80), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(6), index=True)
    given_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    given_by: Mapped[str | None] = mapped_column(String(36))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_by: Mapped[str | None] = mapped_column(String(36))

    @classmethod
    def holds(cls) -> ColumnElement[bool]:
        given = cls.given_at.is_not(None)
        return and_(given, or_(cls.withdrawn_at.is_(None), cls.withdrawn_at < cls.given_at))
