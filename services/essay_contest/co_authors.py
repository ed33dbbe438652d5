"""Co-authors: inviting a council member to an entry, taking the invitation back, and
answering it.

Like every use case that changes an entry, these lock its row first.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.essay_contest.contests import get_contest, writing_open
from services.essay_contest.domain import EntryStatus, Notice, why_no_more_authors
from services.essay_contest.entrants import OwnPage, entry_of, get_entrant, own_page
from services.essay_contest.entries import writable_entry
from services.essay_contest.models import Entrant, Entry, EntryAuthor, MailQueue
from shared.mail_queue import queue_mail
from shared.problems import Conflict, Invalid, NotFound


def invite_co_author(session: Session, entrant_id: str, email: str, now: datetime) -> Entry:
    """Another council member who signed up joins the entry once they confirm; the entry with
    the invited author among its authors."""
    entry, _ = writable_entry(session, entrant_id, now)
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("Add co-authors before you submit; withdraw the entry first to add one.")
    reason = why_no_more_authors(len(entry.authors))
    if reason:
        raise Conflict(reason)
    invited = session.scalar(
        select(Entrant).where(
            Entrant.contest_id == entry.contest_id,
            func.lower(Entrant.email) == email.lower(),
            Entrant.confirmed_at.is_not(None),
        )
    )
    if invited is None:
        raise Invalid(
            f"{email} has not signed up for this contest (and confirmed) yet.",
            errors={"email": [f"{email} has not signed up for this contest yet."]},
        )
    if invited.authorship is not None:
        raise Conflict(f"{email} is already an author of an entry.")
    author = EntryAuthor(entry_id=entry.id, entrant=invited, position=len(entry.authors) + 1)
    session.add(author)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(f"{email} is already an author of an entry.") from error
    queue_mail(session, MailQueue, Notice.CO_AUTHOR_INVITED, author.id)
    session.refresh(entry)
    return entry


def take_back_invitation(session: Session, entrant_id: str, author_id: str, now: datetime) -> Entry:
    """An author withdraws an invitation nobody answered, so a silent colleague never keeps
    the entry from being submitted (nor themselves from writing their own)."""
    entry, _ = writable_entry(session, entrant_id, now)
    author = next((a for a in entry.authors if a.id == author_id and a.confirmed_at is None), None)
    if author is None:
        raise NotFound("There is no open invitation to take back.")
    session.delete(author)
    session.flush()
    session.refresh(entry)
    return entry


def answer_invitation(session: Session, entrant_id: str, accept: bool, now: datetime) -> OwnPage:
    """A co-author confirms, or declines and is free to write an entry of their own; what their
    own page shows then."""
    entrant = get_entrant(session, entrant_id)
    entry = entry_of(session, entrant_id, lock=True)
    author = entrant.authorship
    if entry is None or author is None or author.position == 1:
        raise NotFound("You have not been invited to co-author an entry.")
    writing_open(get_contest(session, entry.contest_id), now)
    if accept:
        author.confirmed_at = author.confirmed_at or now
        return own_page(session, entrant_id, now)
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("This entry has been submitted; ask its author to withdraw it first.")
    session.delete(author)
    session.flush()
    session.refresh(entry)
    return own_page(session, entrant_id, now)
