"""The essay contest database: contests, entrants, entries and the jury's scores."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, false, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from services.essay_contest.domain import Criterion, Phase, phase
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


class Contest(Base):
    __tablename__ = "contests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    rules: Mapped[str] = mapped_column(Text)
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    publishes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    min_words: Mapped[int] = mapped_column(Integer)
    max_words: Mapped[int] = mapped_column(Integer)
    min_scores: Mapped[int] = mapped_column(Integer)
    # Entries are submitted only by entrants whose griffie confirmed they sit on the council.
    requires_council_confirmation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # [{"key", "label", "weight"}], in the order the jury sees them.
    criteria_spec: Mapped[list[dict[str, Any]]] = mapped_column("criteria", JSON)
    jury_report: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    jury: Mapped[list[Juror]] = relationship(
        lazy="selectin", order_by="Juror.email", cascade="all, delete-orphan"
    )

    @property
    def criteria(self) -> list[Criterion]:
        return [Criterion(c["key"], c["label"], c["weight"]) for c in self.criteria_spec]

    def phase_at(self, now: datetime) -> Phase:
        return phase(self.opens_at, self.closes_at, self.published_at is not None, now)


class Juror(Base):
    """A jury member of one contest, known by the e-mail address they log in with."""

    __tablename__ = "jurors"

    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Their own municipality, if any: entries from it are never theirs to judge.
    municipality_code: Mapped[str | None] = mapped_column(String(6))


class Entrant(Base):
    """A council member who signed up; name, e-mail and party are erased after the contest."""

    __tablename__ = "entrants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    municipality_code: Mapped[str] = mapped_column(String(6))
    party: Mapped[str | None] = mapped_column(String(100))
    consent_to_publish: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the last confirmation mail was queued: the next waits, so sign-ups flood no one.
    confirmation_mailed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The griffie's confirmation of their council membership: when the (latest) link was
    # made, which only that link's token carries, and the answer (domain.CouncilAnswer).
    council_asked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    council_answer: Mapped[str | None] = mapped_column(String(10))
    council_answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    authorship: Mapped[EntryAuthor | None] = relationship(
        back_populates="entrant", lazy="selectin", uselist=False
    )

    __table_args__ = (
        # One sign-up per address per contest, whatever its capitals.
        Index(
            "uq_entrant_email",
            "contest_id",
            func.lower(text("email")),
            unique=True,
            postgresql_where=text("email IS NOT NULL"),
            sqlite_where=text("email IS NOT NULL"),
        ),
    )

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def invited(self) -> bool:
        """Invited as co-author and not yet confirmed."""
        return self.authorship is not None and not self.authorship.confirmed


class Griffie(Base):
    """The address of a municipality's griffie (council clerk), kept by staff: the one who
    confirms that an entrant sits on that municipality's council."""

    __tablename__ = "griffies"

    municipality_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    contest_id: Mapped[str] = mapped_column(ForeignKey("contests.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    # Of the text last submitted; the receipt shows it.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    place: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    authors: Mapped[list[EntryAuthor]] = relationship(
        back_populates="entry", lazy="selectin", order_by="EntryAuthor.position"
    )

    @property
    def municipality_codes(self) -> list[str]:
        return sorted({author.entrant.municipality_code for author in self.authors})

    @property
    def publishable(self) -> bool:
        """An essay is shown in full only when every one of its authors consented."""
        return all(author.entrant.consent_to_publish for author in self.authors)


class EntryAuthor(Base):
    """One author of an entry. The unique entrant makes it one entry per council member."""

    __tablename__ = "entry_authors"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id"), index=True)
    entrant_id: Mapped[str] = mapped_column(ForeignKey("entrants.id"), unique=True)
    position: Mapped[int] = mapped_column(Integer)  # 1: who started the entry
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    entry: Mapped[Entry] = relationship(back_populates="authors")
    entrant: Mapped[Entrant] = relationship(back_populates="authorship", lazy="selectin")

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Submission(Base):
    """Each submission or revision as it was received: what the receipt is about."""

    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    word_count: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())

    entry: Mapped[Entry] = relationship()


class ScoreSheet(Base):
    """One juror's scores and comment on one entry; final once submitted."""

    __tablename__ = "score_sheets"

    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id"), primary_key=True)
    juror_email: Mapped[str] = mapped_column(String(254), primary_key=True)
    scores: Mapped[dict[str, int]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class DeclaredConflict(Base):
    """A conflict of interest a juror declared; detected ones (same municipality) are not stored."""

    __tablename__ = "conflicts"

    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id"), primary_key=True)
    juror_email: Mapped[str] = mapped_column(String(254), primary_key=True)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
