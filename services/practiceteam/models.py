"""The praktijkteam database: requests and everything that happens to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.practiceteam.domain import NextStep, Status, intake_overdue, next_step
from shared.clock import utcnow
from shared.db import UtcDateTime
from shared.events.inbox import InboxMixin
from shared.events.outbox import OutboxMixin
from shared.mail_queue import MailQueueMixin


class Base(DeclarativeBase):
    pass


class Outbox(OutboxMixin, Base):
    pass


class MailQueue(MailQueueMixin, Base):
    pass


class ReceivedEvent(InboxMixin, Base):
    """The events this service took in (signals answered at meetings), each once."""


def new_id() -> str:
    return str(uuid.uuid4())


class RequestPart:
    """A row that belongs to one request: its history, messages, notes, team and so on."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), index=True)


class SupportRequest(Base):
    """A municipality's (or a group's) request for a praktijkteam."""

    __tablename__ = "requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    lead_municipality_code: Mapped[str] = mapped_column(String(6))
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(40))
    contact_function: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    tried: Mapped[str] = mapped_column(Text, default="")
    desired_period: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), index=True)
    # One more with every move, so a page that shows an older version can be refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    report: Mapped[str | None] = mapped_column(Text)
    agreements: Mapped[str | None] = mapped_column(Text)
    evaluation_score: Mapped[int | None] = mapped_column(Integer)
    evaluation_comment: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the contact person's details, their own texts and the documents went.
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    # Every part of a request is loaded with it (one query per part for a whole
    # page of requests), so views can be read after the transaction ended.
    municipalities: Mapped[list[RequestMunicipality]] = relationship(
        lazy="selectin", order_by="RequestMunicipality.position", cascade="all, delete-orphan"
    )
    theme_rows: Mapped[list[RequestTheme]] = relationship(
        lazy="selectin", order_by="RequestTheme.theme", cascade="all, delete-orphan"
    )
    history: Mapped[list[Transition]] = relationship(lazy="selectin", order_by="Transition.at")
    messages: Mapped[list[Message]] = relationship(lazy="selectin", order_by="Message.created_at")
    notes: Mapped[list[Note]] = relationship(lazy="selectin", order_by="Note.created_at")
    team: Mapped[list[Assignment]] = relationship(
        lazy="selectin", order_by="Assignment.assigned_at", cascade="all, delete-orphan"
    )
    dates: Mapped[list[PlannedDate]] = relationship(
        lazy="selectin", order_by="PlannedDate.day", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        lazy="selectin", order_by="Attachment.created_at"
    )
    signals: Mapped[list[Signal]] = relationship(lazy="selectin", order_by="Signal.created_at")

    @property
    def municipality_codes(self) -> list[str]:
        return [row.code for row in self.municipalities]

    @property
    def themes(self) -> list[str]:
        return [row.theme for row in self.theme_rows]

    @property
    def target_group(self) -> bool:
        """A request counts as the target group's when one of its municipalities is in it."""
        return any(row.target_group for row in self.municipalities)

    @property
    def regions(self) -> list[str]:
        return sorted({row.region for row in self.municipalities})

    @property
    def contact(self) -> dict[str, str]:
        return {
            "name": self.contact_name,
            "email": self.contact_email,
            "phone": self.contact_phone,
            "function": self.contact_function,
        }

    @property
    def evaluation(self) -> dict[str, Any] | None:
        if self.evaluation_score is None:
            return None
        return {
            "score": self.evaluation_score,
            "comment": self.evaluation_comment,
            "at": self.evaluated_at,
        }

    @property
    def shareable_signals(self) -> list[Signal]:
        return [signal for signal in self.signals if signal.shareable]

    @property
    def overdue(self) -> bool:
        return intake_overdue(Status(self.status), self.created_at, utcnow())

    @property
    def next_step(self) -> NextStep | None:
        return next_step(
            Status(self.status), self.status_changed_at, [row.day for row in self.dates]
        )


class RequestMunicipality(Base):
    """One municipality of a request, with its region and target-group membership as the
    register had them when the request came in, so the queue can filter and sort on them."""

    __tablename__ = "request_municipalities"

    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(6), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(40), index=True)
    target_group: Mapped[bool] = mapped_column(Boolean)


class RequestTheme(Base):
    __tablename__ = "request_themes"

    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Transition(RequestPart, Base):
    """One move in a request's history; the submission is the first, from nothing."""

    __tablename__ = "transitions"

    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Message(RequestPart, Base):
    """A question from the ministry, or an answer or more information from the municipality."""

    __tablename__ = "messages"

    actor: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    in_reply_to: Mapped[str | None] = mapped_column(ForeignKey("messages.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Note(RequestPart, Base):
    """Staff only: never shown to the municipality, never in an event."""

    __tablename__ = "notes"

    by: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Assignment(RequestPart, Base):
    """A team member on a request; members are known by their (lower-case) e-mail address,
    which is erased (None) with the request's personal data."""

    __tablename__ = "assignments"

    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(200))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("request_id", "email", name="uq_assignment_member"),)


class PlannedDate(RequestPart, Base):
    __tablename__ = "planned_dates"

    day: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200), default="")


class Attachment(RequestPart, Base):
    """A document kept outside the web root under its id; the type is what its content is."""

    __tablename__ = "attachments"

    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # The file is gone from the store; the row says a document of this type and size was there.
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Signal(RequestPart, Base):
    """What the ministry learned from a request; shareable ones go back to municipalities."""

    __tablename__ = "signals"

    summary: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    themes: Mapped[list[str]] = mapped_column(JSON)
    shareable: Mapped[bool] = mapped_column(Boolean, default=False)
    by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    __table_args__ = (Index("ix_signals_shareable_created", "shareable", "created_at"),)


class MeetingSignal(Base):
    """A signal raised at a GIA meeting and the ministry's answer, as registration published
    them (``nl.gia.registration.signal_answered``): for every municipality to read, without
    names of people."""

    __tablename__ = "meeting_signals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the signal's, in registration
    meeting_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(40))
    held_on: Mapped[date] = mapped_column(Date)
    themes: Mapped[list[str]] = mapped_column(JSON)
    municipality_codes: Mapped[list[str]] = mapped_column(JSON)
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    # The event it came from, kept in the inbox.
    event_id: Mapped[str] = mapped_column(String(36))
