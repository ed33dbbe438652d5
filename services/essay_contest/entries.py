"""Entries: drafts, submission and revision with their receipts, and withdrawal.

Every use case that changes an entry locks its row first, so two authors of
one entry (or one author in two tabs) change it one after the other. ``now``
comes from the caller's clock: the deadline is whatever that clock says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.essay_contest import council
from services.essay_contest.contests import get_contest, writing_open
from services.essay_contest.domain import (
    Author,
    EntryStatus,
    Notice,
    count_words,
    fingerprint,
    normalise_text,
    why_not_submittable,
    why_word_count_wrong,
)
from services.essay_contest.entrants import entry_of, get_entrant
from services.essay_contest.models import (
    Contest,
    Entry,
    EntryAuthor,
    MailQueue,
    Submission,
)
from shared.events.catalogue import ESSAY_SUBMITTED, ESSAY_WITHDRAWN
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.problems import Conflict, Invalid, NotFound


def writable_entry(session: Session, entrant_id: str, now: datetime) -> tuple[Entry, Contest]:
    """The entrant's entry, locked, while writing is open and they are a confirmed author."""
    entrant = get_entrant(session, entrant_id)
    entry = entry_of(session, entrant_id, lock=True)
    if entry is None:
        raise NotFound("You have no entry yet; start one first.")
    contest = get_contest(session, entry.contest_id)
    writing_open(contest, now)
    if entrant.authorship is None or entrant.authorship.confirmed_at is None:
        raise Conflict("Confirm that you co-author this entry before you change it.")
    return entry, contest


def _set_text(entry: Entry, data: dict[str, Any], now: datetime) -> None:
    entry.title = data["title"].strip()
    entry.text = normalise_text(data["text"])
    entry.word_count = count_words(entry.text)
    entry.updated_at = now


def start_entry(session: Session, entrant_id: str, data: dict[str, Any], now: datetime) -> Entry:
    entrant = get_entrant(session, entrant_id)
    contest = get_contest(session, entrant.contest_id)
    writing_open(contest, now)
    if entrant.confirmed_at is None:
        raise Conflict("Confirm your e-mail address before you start writing.")
    if entrant.authorship is not None and entrant.authorship.confirmed_at is None:
        raise Conflict(
            "You have been invited to co-author an entry; decline the invitation first "
            "to write one of your own."
        )
    if entrant.authorship is not None:
        raise Conflict("You already have an entry: each council member writes one.")
    entry = Entry(contest_id=contest.id, status=EntryStatus.DRAFT, revision=0, created_at=now)
    _set_text(entry, data, now)
    session.add(entry)
    session.flush()
    session.add(EntryAuthor(entry_id=entry.id, entrant_id=entrant.id, position=1, confirmed_at=now))
    try:
        session.flush()
    except IntegrityError as error:  # started twice at once
        raise Conflict("You already have an entry: each council member writes one.") from error
    session.refresh(entry)
    session.expire(entrant, ["authorship"])  # so it may be submitted in the same transaction
    return entry


def _check_words(entry: Entry, contest: Contest) -> None:
    reason = why_word_count_wrong(entry.word_count, contest.min_words, contest.max_words)
    if reason:
        raise Invalid(reason, errors={"text": [reason]}, word_count=entry.word_count)


def _entry_event(session: Session, recorder: EventRecorder, kind: str, entry: Entry) -> None:
    """Where the authors come from, never who they are nor what they wrote."""
    recorder.record(
        session,
        kind,
        subject=f"entry/{entry.id}",
        data={
            "contest_id": entry.contest_id,
            "entry_id": entry.id,
            "municipality_codes": entry.municipality_codes,
            "word_count": entry.word_count,
            "revision": entry.revision,
        },
    )


def _receive(session: Session, recorder: EventRecorder, entry: Entry, now: datetime) -> None:
    """Record a submission (or revision) as received, and send every author the receipt."""
    entry.status = EntryStatus.SUBMITTED
    entry.revision += 1
    entry.fingerprint = fingerprint(entry.text or "")
    entry.submitted_at = now
    entry.withdrawn_at = None
    submission = Submission(
        entry_id=entry.id,
        revision=entry.revision,
        title=entry.title or "",
        word_count=entry.word_count,
        fingerprint=entry.fingerprint,
        submitted_at=now,
    )
    session.add(submission)
    session.flush()
    _entry_event(session, recorder, ESSAY_SUBMITTED, entry)
    queue_mail(session, MailQueue, Notice.RECEIPT, submission.id)


def save_entry(
    session: Session, recorder: EventRecorder, entrant_id: str, data: dict[str, Any], now: datetime
) -> Entry:
    """Save a draft; a submitted entry is revised: checked and received again, with a receipt."""
    entry, contest = writable_entry(session, entrant_id, now)
    submitted = entry.status == EntryStatus.SUBMITTED
    _set_text(entry, data, now)
    if submitted:
        _check_words(entry, contest)
        _receive(session, recorder, entry, now)
    else:
        entry.status = EntryStatus.DRAFT
    return entry


def submit_entry(
    session: Session, recorder: EventRecorder, entrant_id: str, now: datetime
) -> Entry:
    """Once every author confirmed their co-authorship and, where the contest requires it,
    their griffie confirmed they sit on the council (409 until then); drafts need neither."""
    entry, contest = writable_entry(session, entrant_id, now)
    if entry.status == EntryStatus.SUBMITTED:
        return entry  # submitting twice receives nothing new
    _check_words(entry, contest)
    reason = why_not_submittable(
        [Author(a.entrant.name or "", a.confirmed_at is not None) for a in entry.authors]
    )
    if reason:
        raise Conflict(reason)
    council.check_authors(session, contest, entry, now)
    _receive(session, recorder, entry, now)
    return entry


def write_entry(
    session: Session,
    recorder: EventRecorder,
    entrant_id: str,
    data: dict[str, Any],
    now: datetime,
    *,
    submit: bool,
) -> Entry:
    """Save the draft (the first save starts the entry) and, with ``submit``, submit it: one
    transaction, so a refused submission leaves the entry as it was."""
    if entry_of(session, entrant_id) is None:
        entry = start_entry(session, entrant_id, data, now)
    else:
        entry = save_entry(session, recorder, entrant_id, data, now)
    return submit_entry(session, recorder, entrant_id, now) if submit else entry


def withdraw_entry(
    session: Session, recorder: EventRecorder, entrant_id: str, now: datetime
) -> Entry:
    """Withdrawn entries are not judged; until the deadline they can be submitted again."""
    entry, _ = writable_entry(session, entrant_id, now)
    if entry.status == EntryStatus.WITHDRAWN:
        return entry
    was_submitted = entry.status == EntryStatus.SUBMITTED
    entry.status = EntryStatus.WITHDRAWN
    entry.withdrawn_at = now
    if was_submitted:
        _entry_event(session, recorder, ESSAY_WITHDRAWN, entry)
        queue_mail(session, MailQueue, Notice.WITHDRAWN, entry.id)
    return entry
