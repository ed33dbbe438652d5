"""The registration database."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.clock import utcnow
from shared.db import UtcDateTime
from shared.events.outbox import OutboxMixin
from shared.mail_queue import MailQueueMixin


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class MailQueue(MailQueueMixin, Base):
    pass


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    themes: Mapped[list[str]] = mapped_column(JSON)
    region: Mapped[str] = mapped_column(String(40))
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    registration_deadline: Mapped[datetime] = mapped_column(UtcDateTime())
    counts_for_participation: Mapped[bool] = mapped_column(Boolean, default=True)
    guide_presented: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Registrations so far: the next one's place in the order of arrival.
    arrivals: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Seats given and people waiting, kept under the meeting's row lock, so
    # registering does not count rows while everyone else waits for the lock.
    confirmed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waiting: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Who organises it (a CMO, the ministry, ...) and the municipality that hosts it.
    organiser: Mapped[str | None] = mapped_column(String(200))
    host_municipality_code: Mapped[str | None] = mapped_column(String(6))
    # A Raad voor Raad meeting is for council members; staff may let aldermen in too.
    admits_aldermen: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Its version: up by one with every change people are told of, the SEQUENCE of the
    # calendar entries mailed about it, so calendars replace what they have.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed, 0)


class MeetingPlan(Base):
    """How many meetings of a kind staff plan in a region in a programme year."""

    __tablename__ = "meeting_plans"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    region: Mapped[str] = mapped_column(String(40), primary_key=True)
    planned: Mapped[int] = mapped_column(Integer)


class Registration(Base):
    __tablename__ = "registrations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    # Both are erased (None) once the programme year is over.
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    municipality_code: Mapped[str | None] = mapped_column(String(6))
    organisation: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    arrival: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    meeting: Mapped[Meeting] = relationship()

    __table_args__ = (
        # The database itself refuses a second active registration of one address.
        Index(
            "uq_registration_active_email",
            "meeting_id",
            func.lower(text("email")),
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
            sqlite_where=text("status <> 'cancelled'"),
        ),
        # Seats taken and places in line are counted by status, in order of arrival.
        Index("ix_registration_meeting_status_arrival", "meeting_id", "status", "arrival"),
    )


class MeetingSignal(Base):
    """A signal municipalities raised at a meeting, and later the ministry's answer.

    Both texts are written for publication, without names of people: the answer is
    mailed to those who were there and shown on the praktijkteam's public page.
    """

    __tablename__ = "meeting_signals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id"), index=True)
    themes: Mapped[list[str]] = mapped_column(JSON)
    # The municipalities that raised it (CBS codes).
    municipality_codes: Mapped[list[str]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    meeting: Mapped[Meeting] = relationship()
    recipients: Mapped[list[SignalRecipient]] = relationship(
        back_populates="signal", lazy="selectin"
    )

    @property
    def mailed_to(self) -> int:
        return len(self.recipients)


class SignalRecipient(Base):
    """Someone the answer to a signal was mailed to; the mail queue names this row."""

    __tablename__ = "signal_recipients"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    signal_id: Mapped[str] = mapped_column(ForeignKey("meeting_signals.id"), index=True)
    registration_id: Mapped[str] = mapped_column(ForeignKey("registrations.id"))

    signal: Mapped[MeetingSignal] = relationship(back_populates="recipients")
    registration: Mapped[Registration] = relationship()

    __table_args__ = (UniqueConstraint("signal_id", "registration_id"),)
