"""Survey invitations: staff mail each municipality's personal link to its officials in bulk.

The register holds no addresses, so staff bring them, a list at a time. Each
address gets its own mail through the mail queue, and a row saying who sent
it when, so staff see whom they asked and who answered, and can remind those
who have not. Addresses are kept only as long as ``retention`` says.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.indicators.models import MailQueue, SurveyAnswer, SurveyInvitation
from services.indicators.retention import address_expired
from shared.mail_queue import queue_mail
from shared.municipalities import Register


class Notice(StrEnum):
    INVITATION = "survey_invitation"
    REMINDER = "survey_reminder"


def answered(session: Session) -> dict[str, datetime]:
    """Per municipality that answered, when it last did."""
    rows = session.execute(
        select(SurveyAnswer.municipality_code, func.max(SurveyAnswer.answered_at)).group_by(
            SurveyAnswer.municipality_code
        )
    )
    return {code: at for code, at in rows}


def selected(
    session: Session, invitations: list[dict[str, Any]], only_unanswered: bool
) -> list[tuple[str, str]]:
    """(municipality code, address) of the lines to mail: all, or those not answered yet."""
    done = answered(session) if only_unanswered else {}
    found = [(line["municipality_code"], line["email"]) for line in invitations]
    return [(code, email) for code, email in found if code not in done]


def _send(session: Session, code: str, email: str, by: str, now: datetime, notice: Notice) -> None:
    row = SurveyInvitation(
        id=str(uuid.uuid4()),
        municipality_code=code,
        email=email,
        reminder=notice == Notice.REMINDER,
        sent_by=by,
        sent_at=now,
    )
    session.add(row)
    queue_mail(session, MailQueue, notice, row.id)


def invite(session: Session, chosen: list[tuple[str, str]], by: str, now: datetime) -> int:
    """One invitation mail per line, queued in the caller's transaction: all or none."""
    for code, email in chosen:
        _send(session, code, email, by, now, Notice.INVITATION)
    return len(chosen)


@dataclass(frozen=True)
class Queued:
    """Mails queued, one per address, and the listed lines left out (answered already)."""

    queued: int
    skipped: int = 0


def invite_listed(
    session: Session,
    invitations: list[dict[str, Any]],
    only_unanswered: bool,
    by: str,
    now: datetime,
) -> Queued:
    """Invite every listed official, or only those of municipalities that have not answered."""
    queued = invite(session, selected(session, invitations, only_unanswered), by, now)
    return Queued(queued, len(invitations) - queued)


def reminder_addresses(session: Session) -> list[tuple[str, str]]:
    """Each address still kept for a municipality that has not answered since it was invited."""
    done = answered(session)
    rows = session.execute(
        select(SurveyInvitation.municipality_code, SurveyInvitation.email, SurveyInvitation.sent_at)
        .where(SurveyInvitation.email.is_not(None), SurveyInvitation.reminder.is_(False))
        .order_by(SurveyInvitation.municipality_code, SurveyInvitation.sent_at)
    )
    due: dict[tuple[str, str], str] = {}
    for code, email, sent_at in rows:
        if code not in done or done[code] < sent_at:
            due.setdefault((code, email.lower()), email)
    return [(code, email) for (code, _), email in due.items()]


def remind(session: Session, by: str, now: datetime) -> int:
    due = reminder_addresses(session)
    for code, email in due:
        _send(session, code, email, by, now, Notice.REMINDER)
    return len(due)


def forget_addresses(session: Session, code: str, now: datetime) -> None:
    """The municipality answered: its officials' addresses are no longer needed."""
    session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.municipality_code == code, SurveyInvitation.email.is_not(None))
        .values(email=None, erased_at=now)
    )


def erase_addresses(session: Session, now: datetime) -> int:
    """Erase every address ``retention`` no longer allows to keep; how many were erased."""
    done = answered(session)
    kept = session.scalars(
        select(SurveyInvitation).where(SurveyInvitation.email.is_not(None)).with_for_update()
    ).all()
    erased = 0
    for row in kept:
        if address_expired(row.sent_at, done.get(row.municipality_code), now):
            row.email, row.erased_at = None, now
            erased += 1
    return erased


@dataclass(frozen=True)
class Invited:
    """A municipality asked to answer: when, by whom, to which addresses still kept, and
    whether it answered."""

    code: str
    name: str
    invited_at: datetime
    invited_by: str
    reminded_at: datetime | None
    addresses: list[str]
    answered_at: datetime | None


def invited(session: Session, register: Register) -> list[Invited]:
    """Every municipality invited, by name."""
    done = answered(session)
    rows: dict[str, list[SurveyInvitation]] = {}
    for row in session.scalars(select(SurveyInvitation).order_by(SurveyInvitation.sent_at)):
        rows.setdefault(row.municipality_code, []).append(row)
    found: list[Invited] = []
    for code, sent in rows.items():
        first = next((row for row in sent if not row.reminder), sent[0])
        reminders = [row.sent_at for row in sent if row.reminder]
        found.append(
            Invited(
                code=code,
                name=known.name if (known := register.get(code)) else code,
                invited_at=first.sent_at,
                invited_by=first.sent_by,
                reminded_at=reminders[-1] if reminders else None,
                addresses=sorted({row.email for row in sent if row.email and not row.reminder}),
                answered_at=done.get(code),
            )
        )
    return sorted(found, key=lambda item: item.name)


@dataclass(frozen=True)
class Asked:
    """Every municipality invited, and how many addresses a reminder would go to now."""

    invited: list[Invited]
    due: int


def asked(session: Session, register: Register) -> Asked:
    return Asked(invited(session, register), len(reminder_addresses(session)))
