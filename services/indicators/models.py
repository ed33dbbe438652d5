"""The indicators database: every event received, the evidence it gave, and what it adds up to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, and_, or_, tuple_
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from shared.clock import utcnow
from shared.db import UtcDateTime
from shared.events.inbox import InboxMixin
from shared.mail_queue import MailQueueMixin


def holding(
    given_at: datetime | None, given_seq: int, withdrawn_at: datetime | None, withdrawn_seq: int
) -> bool:
    """Given after it was last withdrawn, by time and then by ``seq``; a tie withdraws
    (``Evidence.holds`` says the same in SQL)."""
    if given_at is None:
        return False
    return withdrawn_at is None or (withdrawn_at, withdrawn_seq) < (given_at, given_seq)


class Base(DeclarativeBase):
    pass


class ReceivedEvent(InboxMixin, Base):
    pass


class MailQueue(MailQueueMixin, Base):
    pass


class Evidence(Base):
    """One basis (an attendance, a survey answer) for one indicator of one municipality.

    It keeps the latest time it was given and the latest time it was withdrawn,
    so events applied in any order end in the same state: evidence holds when
    it was given after it was last withdrawn. Of events of the same time the
    one with the higher ``seq`` (a survey answer's number) is the later.
    """

    __tablename__ = "evidence"

    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    basis: Mapped[str] = mapped_column(String(80), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(6), index=True)
    given_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    given_by: Mapped[str | None] = mapped_column(String(36))
    given_seq: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    withdrawn_by: Mapped[str | None] = mapped_column(String(36))
    withdrawn_seq: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def counts(self) -> bool:
        return holding(self.given_at, self.given_seq, self.withdrawn_at, self.withdrawn_seq)

    @classmethod
    def holds(cls) -> ColumnElement[bool]:
        given = cls.given_at.is_not(None)
        withdrawn = tuple_(cls.withdrawn_at, cls.withdrawn_seq)
        later = withdrawn < tuple_(cls.given_at, cls.given_seq)
        return and_(given, or_(cls.withdrawn_at.is_(None), later))


class Coverage(Base):
    """Whether a municipality has evidence for an indicator that holds, kept as events arrive.

    The row is locked while a batch decides whether it changed, so consumers
    running side by side never count one change twice.
    """

    __tablename__ = "coverage"

    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    covered: Mapped[bool] = mapped_column(Boolean, default=False)


class Tally(Base):
    """How many municipalities of one group are covered: the figures, without counting rows.

    ``scope`` is ``target_group`` or ``outside`` (the register's other
    municipalities); ``dimension`` is ``total``, ``region``, ``province`` or
    ``band``, and ``grouping`` the group's name (empty for the total).
    """

    __tablename__ = "tallies"

    indicator: Mapped[str] = mapped_column(String(20), primary_key=True)
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    grouping: Mapped[str] = mapped_column(String(40), primary_key=True)
    covered: Mapped[int] = mapped_column(Integer, default=0)
    newest_event_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class FigureChange(Base):
    """A target-group figure (whole or of one region) that moved: history and feed entries.

    A log of what the live figures were, so a rebuild leaves it alone.
    """

    __tablename__ = "figure_changes"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    indicator: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(40), default="")
    covered: Mapped[int] = mapped_column(Integer)
    denominator: Mapped[int] = mapped_column(Integer)
    target_reached: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyAnswer(Base):
    """One answer of one municipality to the monitor survey; its event is kept beside it."""

    __tablename__ = "survey_answers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(6), index=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    knows_guide: Mapped[bool] = mapped_column(Boolean)
    read_guide: Mapped[bool] = mapped_column(Boolean)
    uses: Mapped[list[Any]] = mapped_column(JSON)
    other_use: Mapped[str | None] = mapped_column(String(500))
    event_id: Mapped[str] = mapped_column(String(36))
    # The municipality's n-th answer: of two answers of one time the higher is the later.
    number: Mapped[int] = mapped_column(Integer, default=0)
    # What the evaluation of 2008-2011 also asked (its tables 6-11, ``appreciation``): per
    # statement the answer on the table's scale, or one of the table's answers; None unasked.
    guide_appreciation: Mapped[dict[str, str] | None] = mapped_column(JSON)
    meeting_appreciation: Mapped[dict[str, str] | None] = mapped_column(JSON)
    approach_appreciation: Mapped[dict[str, str] | None] = mapped_column(JSON)
    cmo_right_party: Mapped[str | None] = mapped_column(String(20))
    desired_participants: Mapped[dict[str, str] | None] = mapped_column(JSON)
    wants_to_continue: Mapped[str | None] = mapped_column(String(20))


class SurveyCount(Base):
    """How many answers a municipality gave: numbers its answers in the order they came,
    one upsert under the row's lock, so two answers given at once get two numbers."""

    __tablename__ = "survey_counts"

    municipality_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    answers: Mapped[int] = mapped_column(Integer, default=0)


class FeedToken(Base):
    """A staff member's feed token: its id, signed, goes in the URL; revoking ends it."""

    __tablename__ = "feed_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject: Mapped[str] = mapped_column(String(254))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SurveyInvitation(Base):
    """One invitation (or reminder) to answer the survey, mailed to one municipal official.

    Staff see from these rows whom they asked and when. The address is personal
    data: it is erased (``email`` None, ``erased_at`` set) once the municipality
    has answered or the programme year of the invitation is over (``privacy``).
    """

    __tablename__ = "survey_invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    municipality_code: Mapped[str] = mapped_column(String(6), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    reminder: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_by: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
