"""Entrants: signing up, confirming the address, asking their griffie to confirm they sit on
the council, the personal data they may change, and what their personal link opens (their
details, their entry and its receipts, where the griffie's confirmation stands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.essay_contest import access, council
from services.essay_contest.contests import get_contest, writing_open
from services.essay_contest.domain import Notice, confirmation_wait
from services.essay_contest.models import (
    Contest,
    Entrant,
    Entry,
    EntryAuthor,
    MailQueue,
    Submission,
)
from shared.events.catalogue import ESSAY_SIGNED_UP
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.problems import Conflict, NotFound
from shared.settings import Settings


def get_entrant(session: Session, entrant_id: str) -> Entrant:
    entrant = session.get(Entrant, entrant_id)
    if entrant is None or entrant.erased_at is not None:
        raise NotFound(f"There is no entrant {entrant_id}.")
    return entrant


def entry_of(session: Session, entrant_id: str, *, lock: bool = False) -> Entry | None:
    """The entrant's own entry (as an author, confirmed or invited), or None."""
    query = select(Entry).join(EntryAuthor).where(EntryAuthor.entrant_id == entrant_id)
    return session.scalar(query.with_for_update(of=Entry) if lock else query)


def receipts(session: Session, entry_id: str) -> list[Submission]:
    """Every submission and revision as it was received, the latest first."""
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.entry_id == entry_id)
            .order_by(Submission.revision.desc())
        )
    )


@dataclass(frozen=True)
class OwnPage:
    """What an entrant's personal link opens, read in one transaction."""

    entrant: Entrant
    contest: Contest
    entry: Entry | None  # drafts included
    receipts: list[Submission]
    council: council.CouncilCheck


def own_page(session: Session, entrant_id: str, now: datetime) -> OwnPage:
    entrant = get_entrant(session, entrant_id)
    contest = get_contest(session, entrant.contest_id)
    entry = entry_of(session, entrant_id)
    return OwnPage(
        entrant,
        contest,
        entry,
        receipts(session, entry.id) if entry else [],
        council.check_of(session, entrant, contest, now),
    )


@dataclass(frozen=True)
class SignedUp:
    entrant: Entrant
    # Seconds until a new confirmation mail may go; None: one was queued now.
    retry_after: int | None


def sign_up(
    session: Session, settings: Settings, contest_id: str, data: dict[str, Any], now: datetime
) -> SignedUp:
    """A council member signs up; they may write once they confirmed their address.

    Signing up again before confirming replaces the details: whoever confirms gets what
    they gave last, never an earlier (mistyped, or someone else's) sign-up with the same
    address. It sends a new confirmation link only when the last one to the address went
    long enough ago (``essay_confirmation_interval_minutes``), so repeated sign-ups flood
    no mailbox; the row lock makes two sign-ups at once wait for each other.
    """
    contest = get_contest(session, contest_id)
    writing_open(contest, now)
    same_address = func.lower(Entrant.email) == data["email"].lower()
    existing = session.scalar(
        select(Entrant).where(Entrant.contest_id == contest.id, same_address).with_for_update()
    )
    if existing is not None and existing.confirmed_at is not None:
        raise Conflict(f"{data['email']} has already signed up for this contest.")
    last_mailed = session.scalar(
        select(func.max(Entrant.confirmation_mailed_at)).where(same_address)
    )
    entrant = existing or Entrant(contest_id=contest.id)
    for key, value in data.items():
        setattr(entrant, key, value)
    entrant.created_at = now  # the confirmation link is valid from here
    if existing is None:
        session.add(entrant)
        try:
            session.flush()
        except IntegrityError as error:  # the same address at the same moment
            raise Conflict(f"{data['email']} has already signed up for this contest.") from error
    interval = timedelta(minutes=settings.essay_confirmation_interval_minutes)
    wait = confirmation_wait(last_mailed, now, interval)
    if wait is None:
        entrant.confirmation_mailed_at = now
        queue_mail(session, MailQueue, Notice.CONFIRM_EMAIL, entrant.id)
    return SignedUp(entrant, wait)


def confirm_email(
    session: Session, recorder: EventRecorder, settings: Settings, token: str, now: datetime
) -> Entrant:
    """The address is theirs: the entrant may write, the sign-up counts, and their griffie is
    asked to confirm them where the contest requires it."""
    entrant_id = access.confirmed_entrant(settings, token, now)
    entrant = session.scalar(select(Entrant).where(Entrant.id == entrant_id).with_for_update())
    if entrant is None or entrant.erased_at is not None:
        raise NotFound("This sign-up no longer exists.")
    if entrant.confirmed_at is not None:
        return entrant  # the link clicked twice
    entrant.confirmed_at = now
    recorder.record(
        session,
        ESSAY_SIGNED_UP,
        subject=f"contest/{entrant.contest_id}",
        data={"contest_id": entrant.contest_id, "municipality_code": entrant.municipality_code},
    )
    queue_mail(session, MailQueue, Notice.WELCOME, entrant.id)
    council.ask_when_due(session, entrant, get_contest(session, entrant.contest_id), now)
    return entrant


def ask_griffie(session: Session, entrant_id: str, now: datetime) -> OwnPage:
    """The entrant asks their griffie again (its link expired), or for the first time (the
    contest began to require it after they confirmed their address)."""
    entrant = session.scalar(select(Entrant).where(Entrant.id == entrant_id).with_for_update())
    if entrant is None or entrant.erased_at is not None:
        raise NotFound(f"There is no entrant {entrant_id}.")
    council.ask_again(session, entrant, get_contest(session, entrant.contest_id), now)
    return own_page(session, entrant_id, now)


def change_entrant(
    session: Session, entrant_id: str, data: dict[str, Any], now: datetime
) -> OwnPage:
    """Consent to publication (and the party) may change until the results are out."""
    entrant = get_entrant(session, entrant_id)
    if get_contest(session, entrant.contest_id).published_at is not None:
        raise Conflict("The results have been published; this can no longer change.")
    for key, value in data.items():
        setattr(entrant, key, value)
    return own_page(session, entrant_id, now)
