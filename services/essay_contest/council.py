"""Council membership, confirmed by the griffie: the griffie addresses staff keep, asking an
entrant's griffie through a signed link that expires, and the griffie's answer.

A contest that requires it lets entrants write drafts from the start and submit once the
griffie (council clerk) of their municipality confirmed they sit on its council. A griffie
is asked only about an entrant whose own address is confirmed, with one valid link at a
time, and answers once: a link used again is refused (409), never a second confirmation; an
expired one is gone (410), and the entrant asks again from their own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.essay_contest import access
from services.essay_contest.contests import get_contest, writing_open
from services.essay_contest.domain import (
    COUNCIL_LINK_VALID,
    CouncilAnswer,
    CouncilStatus,
    Notice,
    council_link_expired,
    council_status,
    why_no_council_request,
    why_not_council_member,
)
from services.essay_contest.models import Contest, Entrant, Entry, Griffie, MailQueue
from services.essay_contest.municipality_names import municipality_name
from shared.mail_queue import queue_mail
from shared.municipalities import Register, UnknownMunicipality
from shared.problems import Conflict, NotFound
from shared.settings import Settings

# The domain of the addresses ``gia seed`` makes up: reserved for examples, never delivered.
EXAMPLE_DOMAIN = ".example"

# -- the griffies' addresses, kept by staff -------------------------------------------------------


@dataclass(frozen=True)
class GriffieRow:
    municipality_code: str
    municipality: str  # its name in the register
    email: str
    updated_at: datetime

    @property
    def example(self) -> bool:
        return self.email.lower().endswith(EXAMPLE_DOMAIN)


@dataclass(frozen=True)
class Waiting:
    """A municipality without a griffie address whose council members wait for one."""

    municipality_code: str
    municipality: str
    entrants: int


@dataclass(frozen=True)
class AddressBook:
    griffies: list[GriffieRow]
    waiting: list[Waiting]


def _row(register: Register, griffie: Griffie) -> GriffieRow:
    code = griffie.municipality_code
    return GriffieRow(code, municipality_name(register, code), griffie.email, griffie.updated_at)


def _waiting_for_an_answer(now: datetime) -> list[ColumnElement[bool]]:
    """Entrants of an open contest that requires it, with their own address confirmed,
    whose griffie has neither been asked nor answered."""
    return [
        Contest.requires_council_confirmation.is_(True),
        Contest.closes_at > now,
        Entrant.confirmed_at.is_not(None),
        Entrant.erased_at.is_(None),
        Entrant.council_asked_at.is_(None),
        Entrant.council_answer.is_(None),
    ]


def address_book(session: Session, register: Register, now: datetime) -> AddressBook:
    """Every address by municipality name, and the municipalities whose entrants wait for one."""
    griffies = [_row(register, griffie) for griffie in session.scalars(select(Griffie))]
    known = exists().where(Griffie.municipality_code == Entrant.municipality_code)
    waiting = [
        Waiting(code, municipality_name(register, code), count)
        for code, count in session.execute(
            select(Entrant.municipality_code, func.count())
            .join(Contest, Contest.id == Entrant.contest_id)
            .where(*_waiting_for_an_answer(now), ~known)
            .group_by(Entrant.municipality_code)
        )
    ]
    return AddressBook(
        sorted(griffies, key=lambda row: (row.municipality, row.municipality_code)),
        sorted(waiting, key=lambda row: (row.municipality, row.municipality_code)),
    )


def _code(register: Register, named: str) -> str:
    """The CBS code of the municipality named by its code or its name, as every form reads it;
    an unknown one is 404, with the closest names."""
    try:
        return register.resolve(named).code
    except UnknownMunicipality as error:
        candidates = [municipality.code for municipality in error.candidates]
        raise NotFound(str(error), candidates=candidates) from error


def set_griffie(
    session: Session, register: Register, named: str, email: str, now: datetime
) -> GriffieRow:
    """One address per municipality, replaced when set again. The council members who were
    waiting for it are asked about at once."""
    code = _code(register, named)
    griffie = session.get(Griffie, code, with_for_update=True)
    if griffie is None:
        griffie = Griffie(municipality_code=code)
        session.add(griffie)
    griffie.email = email
    griffie.updated_at = now
    try:
        session.flush()
    except IntegrityError as error:  # set for the first time twice at once
        raise Conflict(f"The griffie address of {code} changed meanwhile; try again.") from error
    waiting = session.scalars(
        select(Entrant)
        .join(Contest, Contest.id == Entrant.contest_id)
        .where(*_waiting_for_an_answer(now), Entrant.municipality_code == code)
        .with_for_update(of=Entrant)
    )
    for entrant in waiting:
        _ask(session, entrant, now)
    return _row(register, griffie)


def remove_griffie(session: Session, register: Register, named: str) -> None:
    code = _code(register, named)
    griffie = session.get(Griffie, code, with_for_update=True)
    if griffie is None:
        raise NotFound(f"No griffie address is known for {code}.")
    session.delete(griffie)


def griffie_of(session: Session, code: str) -> Griffie | None:
    return session.get(Griffie, code)


# -- an entrant's confirmation -------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilCheck:
    """Where an entrant's confirmation stands, as their own page and the API show it."""

    status: CouncilStatus
    asked_at: datetime | None
    valid_until: datetime | None  # of the latest link, while it is the one that counts
    answered_at: datetime | None


def check_of(session: Session, entrant: Entrant, contest: Contest, now: datetime) -> CouncilCheck:
    status = council_status(
        required=contest.requires_council_confirmation,
        email_confirmed=entrant.confirmed_at is not None,
        griffie_known=griffie_of(session, entrant.municipality_code) is not None,
        asked_at=entrant.council_asked_at,
        answer=entrant.council_answer,
        now=now,
    )
    asked = entrant.council_asked_at
    return CouncilCheck(
        status,
        asked,
        asked + COUNCIL_LINK_VALID if asked and status == CouncilStatus.PENDING else None,
        entrant.council_answered_at,
    )


def _ask(session: Session, entrant: Entrant, now: datetime) -> None:
    """A new link for the griffie; the one before it, if any, no longer counts."""
    entrant.council_asked_at = now
    queue_mail(session, MailQueue, Notice.COUNCIL_CHECK, entrant.id)


def ask_when_due(session: Session, entrant: Entrant, contest: Contest, now: datetime) -> None:
    """Once the entrant's own address is confirmed: their griffie is asked, when the contest
    requires it and staff know the address (otherwise as soon as they add it)."""
    if check_of(session, entrant, contest, now).status == CouncilStatus.NOT_ASKED:
        _ask(session, entrant, now)


def ask_again(session: Session, entrant: Entrant, contest: Contest, now: datetime) -> None:
    """The entrant asks their griffie (again): when nobody was asked, or the link expired."""
    writing_open(contest, now)
    reason = why_no_council_request(check_of(session, entrant, contest, now).status)
    if reason:
        raise Conflict(reason)
    _ask(session, entrant, now)


def check_authors(session: Session, contest: Contest, entry: Entry, now: datetime) -> None:
    """Refuse the submission while an author's council membership stands unconfirmed."""
    for author in entry.authors:
        status = check_of(session, author.entrant, contest, now).status
        reason = why_not_council_member(author.entrant.name or "", status)
        if reason:
            raise Conflict(reason, council_status=status.value)


# -- the griffie's answer ------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilQuestion:
    """What the griffie is asked: about whom, for which contest, and until when."""

    entrant: Entrant
    contest: Contest
    valid_until: datetime


def _asked(
    session: Session, settings: Settings, token: str, now: datetime, *, lock: bool = False
) -> tuple[Entrant, datetime]:
    """The entrant a griffie's link asks about, and when it was asked, while it waits for
    this link's answer.

    Answered already: 409, whichever link is used. Expired, or made before the latest one
    (which is made only once the earlier expired): 410.
    """
    entrant_id, made = access.COUNCIL.opened(settings, token)
    query = select(Entrant).where(Entrant.id == entrant_id)
    entrant = session.scalar(query.with_for_update() if lock else query)
    if entrant is None or entrant.erased_at is not None:
        raise NotFound("This sign-up no longer exists.")
    if entrant.council_answer is not None:
        raise Conflict(
            "The griffie has already answered for this council member; the answer stands "
            "and this link cannot be used again.",
            answer=entrant.council_answer,
        )
    asked = entrant.council_asked_at
    if asked is None or made != asked.replace(microsecond=0) or council_link_expired(asked, now):
        raise access.ExpiredLink(
            "This griffie link has expired; the council member can ask for a new one on "
            "their own page."
        )
    return entrant, asked


def question(session: Session, settings: Settings, token: str, now: datetime) -> CouncilQuestion:
    entrant, asked = _asked(session, settings, token, now)
    return CouncilQuestion(
        entrant, get_contest(session, entrant.contest_id), asked + COUNCIL_LINK_VALID
    )


def answer(
    session: Session, settings: Settings, token: str, given: CouncilAnswer, now: datetime
) -> Entrant:
    """The griffie's answer, given once; the entrant hears it by mail."""
    entrant, _ = _asked(session, settings, token, now, lock=True)
    entrant.council_answer = given
    entrant.council_answered_at = now
    queue_mail(session, MailQueue, Notice.COUNCIL_ANSWERED, entrant.id)
    return entrant
