"""Mail as an outbox: a use case queues a row in its own transaction; a worker sends it.

So a mail is never lost to a crash between the commit and the send, a mail
server that is down only delays mail, and requests do not wait for composing
and sending. Rows name what happened and to whom (``kind`` and ``about``); the
worker composes the message from the service's current data when it sends.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import (
    ColumnElement,
    Index,
    Integer,
    String,
    Text,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from shared.clock import utcnow
from shared.db import DATABASE_DOWN, Database, UtcDateTime, pending_index
from shared.events.backoff import Backoff
from shared.heartbeat import NO_HEARTBEAT, Heartbeat
from shared.mail import Mailer
from shared.settings import Settings

log = logging.getLogger(__name__)

# Composes the message for one row; None when there is no longer anyone to tell.
Composer = Callable[[Session, str], EmailMessage | None]
IDLE_POLL_SECONDS = 0.5
MAX_ATTEMPTS = 10
# How long a claimed row stays with the worker that claimed it: far longer than one send
# (each SMTP step times out after 10 seconds).
LEASE = timedelta(minutes=5)
# Recording a send stops being retried this long before its lease ends, so it never
# settles a row another worker may already have claimed.
LEASE_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class GivenUp:
    """A queued mail the worker stopped trying, as ``gia mail failed`` lists it."""

    id: str
    to: str
    subject: str
    attempts: int
    last_error: str | None
    at: datetime | None


class MailQueueMixin:
    __tablename__ = "mail_queue"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    about: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        return (pending_index("ix_mail_queue_pending", cls.sent_at),)  # type: ignore[attr-defined]


def stamp_message_id(message: EmailMessage, row_id: str) -> None:
    """Name the message after its queue row, so a repeat after a crash between sending and
    settling carries the same Message-ID and receivers can drop it."""
    del message["Message-ID"]
    message["Message-ID"] = f"<{row_id}@gia.minbzk.nl>"


def _given_up_criteria(model: type[MailQueueMixin]) -> list[ColumnElement[bool]]:
    """The rows no longer tried after MAX_ATTEMPTS refusals."""
    return [model.sent_at.is_(None), model.attempts >= MAX_ATTEMPTS]


def count_given_up(session: Session, model: type[MailQueueMixin]) -> int:
    query = select(func.count()).select_from(model).where(*_given_up_criteria(model))
    return session.scalar(query) or 0


def queue_mail(session: Session, model: type[MailQueueMixin], kind: str, about: str) -> None:
    session.add(model(id=str(uuid.uuid4()), kind=kind, about=about, attempts=0))


def forget_mail(session: Session, model: type[MailQueueMixin], about: list[str]) -> None:
    """Mail about erased rows: what is still to be sent goes (it would go to nobody), and
    the rest keeps no error text, which may quote the address it was sent to."""
    session.execute(delete(model).where(model.sent_at.is_(None), model.about.in_(about)))
    session.execute(update(model).where(model.about.in_(about)).values(last_error=None))


class MailWorker:
    def __init__(
        self,
        db: Database,
        model: type[MailQueueMixin],
        composers: dict[str, Composer],
        mailer: Mailer,
        batch_size: int = 50,
    ) -> None:
        self.db = db
        self.model = model
        self.composers = composers
        self.mailer = mailer
        self.batch_size = batch_size
        self._heartbeat = NO_HEARTBEAT  # run's

    def deliver_pending(self, now: datetime | None = None) -> int:
        """Send up to a batch of due mails, one at a time; returns how many rows were settled.

        Each row is claimed with a lease (``retry_at`` moves past the sending) and
        composed in a short transaction, sent outside it so no database lock waits on
        SMTP, and settled right after its own send. A slow mail server therefore never
        outlasts a lease: a lease covers one send, not a batch. A worker that dies
        between sending and settling leaves its row to be sent again when the lease
        ends: mail is sent at least once, and a repeat carries the same Message-ID.
        """
        settled = 0
        while settled < self.batch_size and self._deliver_one(now or utcnow()):
            settled += 1
            self._heartbeat.beat()  # a slow mail server is slow, not stuck
        return settled

    def _deliver_one(self, now: datetime) -> bool:
        """Claim, send and settle the oldest due row; False when none is due."""
        model = self.model
        lease = now + LEASE
        with self.db.transaction() as session:
            row = session.scalars(
                select(model)
                .where(
                    model.sent_at.is_(None),
                    model.attempts < MAX_ATTEMPTS,
                    or_(model.retry_at.is_(None), model.retry_at <= now),
                )
                .order_by(model.created_at)
                .limit(1)
                .with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return False
            row.retry_at = lease
            row_id, kind = row.id, row.kind
            message = self.composers[kind](session, row.about)
            if message is not None:
                stamp_message_id(message, row_id)
        sent = message is None or self.mailer.send(message)
        self._record(row_id, kind, sent, now, lease)
        return True

    def _record(self, row_id: str, kind: str, sent: bool, now: datetime, lease: datetime) -> None:
        """Settle the send, waiting out a database that is away for a moment.

        Once the mail server took a mail, only a lost record can send it again; so the
        record is tried until shortly before the lease ends, after which another worker
        may claim the row anyway (and the mail goes once more, with the same Message-ID).
        """
        model = self.model
        give_up_at = time.monotonic() + (lease - now - LEASE_MARGIN).total_seconds()
        backoff = Backoff(first=0.2)
        while True:
            try:
                with self.db.transaction() as session:
                    # The lease is the claim: a row whose lease ran out and passed to
                    # another worker has another ``retry_at`` and is that worker's to settle.
                    row = session.scalars(
                        select(model)
                        .where(model.id == row_id, model.retry_at == lease)
                        .with_for_update()
                    ).first()
                    self._settle(row, kind, sent, now)
                return
            except DATABASE_DOWN as error:
                wait = backoff.next()
                if time.monotonic() + wait >= give_up_at:
                    raise
                log.warning("mail %s sent; recording it in %.1fs: %s", row_id, wait, error)
                self._heartbeat.wait(threading.Event(), wait)

    def _settle(self, row: MailQueueMixin | None, kind: str, sent: bool, now: datetime) -> None:
        if row is None:
            return
        if sent:
            row.sent_at = now
            return
        row.attempts += 1
        row.retry_at = now + timedelta(seconds=min(30 * 2**row.attempts, 3600))
        row.last_error = "the mail server did not take it"
        if row.attempts >= MAX_ATTEMPTS:
            row.retry_at = now  # never tried again: it says when the mail was given up
            log.error("giving up on mail %s (%s) after %d attempts", row.id, kind, row.attempts)

    def given_up(self) -> list[GivenUp]:
        """Mail no longer tried after MAX_ATTEMPTS refusals, oldest first, for staff to see
        who did not hear from us (``gia mail failed``)."""
        model = self.model
        with self.db.transaction() as session:
            rows = session.scalars(
                select(model).where(*_given_up_criteria(model)).order_by(model.retry_at)
            ).all()
            found = []
            for row in rows:
                message = self.composers[row.kind](session, row.about)
                to, subject = (message["To"], message["Subject"]) if message else ("", "")
                found.append(
                    GivenUp(row.id, to, subject, row.attempts, row.last_error, row.retry_at)
                )
            return found

    def retry(self, ids: list[str] | None = None) -> int:
        """Put given-up mail (these ids, or all) back in the queue with fresh attempts;
        returns how many."""
        model = self.model
        chosen = _given_up_criteria(model)
        if ids is not None:
            chosen.append(model.id.in_(ids))
        with self.db.transaction() as session:
            result = session.execute(update(model).where(*chosen).values(attempts=0, retry_at=None))
            return result.rowcount  # type: ignore[attr-defined]

    @classmethod
    def for_service(
        cls,
        settings: Settings,
        service: str,
        model: type[MailQueueMixin],
        composers: dict[str, Composer],
        db: Database | None = None,
    ) -> MailWorker:
        """The worker of one service's queue, sending through the configured mail server."""
        return cls(
            db or Database.for_service(settings, service), model, composers, Mailer(settings)
        )

    def run(self, stop: threading.Event, heartbeat: Heartbeat = NO_HEARTBEAT) -> None:
        self._heartbeat = heartbeat
        while not stop.is_set():
            heartbeat.beat()
            try:
                settled = self.deliver_pending()
            except Exception:  # the database is away: try again shortly
                log.exception("mail worker could not read its queue")
                settled = 0
            if settled < self.batch_size:
                heartbeat.wait(stop, IDLE_POLL_SECONDS)
