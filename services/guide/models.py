"""The guide database: guides, their editions and toolbox items, and the downloads."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
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


def new_id() -> str:
    return str(uuid.uuid4())


class StoredFile:
    """A document kept in the guide store under the row's id (``shared.documents``), and what
    it is: the name it is offered under, its type judged by its content, size and checksum."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    guide_id: Mapped[str] = mapped_column(ForeignKey("guides.id"), index=True)
    published_on: Mapped[date] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))


class Edition(StoredFile, Base):
    """The guide itself as published on a day; a dynamic guide gets a new one when it grows.
    (Part 1 of "Samen leven bindt verschillen": the state of the debate.)"""

    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("guide_id", "number"),)

    number: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")


class ToolboxItem(StoredFile, Base):
    """One practical example or tip of a guide's toolbox (part 2), published on its own."""

    __tablename__ = "toolbox_items"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)


class Guide(Base):
    __tablename__ = "guides"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Announced before: officials download it from this day on.
    available_from: Mapped[date] = mapped_column(Date)
    # Whether a download is evidence that the municipality knows the new guide (2012 target).
    counts_for_awareness: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))

    editions: Mapped[list[Edition]] = relationship(order_by=Edition.number.desc(), lazy="selectin")
    toolbox: Mapped[list[ToolboxItem]] = relationship(
        order_by=(ToolboxItem.published_on.desc(), ToolboxItem.title), lazy="selectin"
    )

    @property
    def newest(self) -> Edition | None:
        return self.editions[0] if self.editions else None


class Download(Base):
    """One download by an official who named their municipality; no account.

    The role is kept for the figures per guide. The e-mail address, when given, is only
    for telling them once about a new edition: it is erased once that notice went, or
    ``GIA_GUIDE_RETENTION_DAYS`` after the download (``gia erase guide``).
    """

    __tablename__ = "downloads"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    guide_id: Mapped[str] = mapped_column(ForeignKey("guides.id"), index=True)
    edition_id: Mapped[str | None] = mapped_column(ForeignKey("editions.id"))
    toolbox_item_id: Mapped[str | None] = mapped_column(ForeignKey("toolbox_items.id"))
    municipality_code: Mapped[str] = mapped_column(String(6), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    downloaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    # When a notice of a new edition was queued for this address.
    noticed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
