"""Results: the ranking with the jury's sheets, the winners and their publication, the counts
by municipality, and erasing personal data after the contest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.essay_contest.contests import get_contest, score_sheets, submitted_entries
from services.essay_contest.domain import (
    EntryStatus,
    Notice,
    Standing,
    conflicted,
    rank_entries,
    why_not_erasable,
    why_not_publishable,
)
from services.essay_contest.entrants import receipts
from services.essay_contest.models import (
    Contest,
    DeclaredConflict,
    Entrant,
    Entry,
    EntryAuthor,
    MailQueue,
)
from services.essay_contest.municipality_names import municipality_name
from shared.events.catalogue import ESSAY_WINNERS_ANNOUNCED
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.municipalities import Register
from shared.problems import Conflict, Invalid, NotFound


@dataclass(frozen=True)
class JurySheet:
    """One juror's final scores and comment on an entry, as staff see them (jurors never)."""

    juror: str  # their name; their address once they left the jury
    juror_email: str
    scores: dict[str, int]
    comment: str
    # Left out of the ranking: a conflict of interest, or no longer on the jury.
    counted: bool


def jury_sheets(session: Session, contest_id: str) -> dict[str, list[JurySheet]]:
    """Every submitted entry's final score sheets, by juror, with whether each counts.

    A sheet counts only while its juror is on the jury without a conflict with the entry:
    a conflict found after scoring (the jury's municipalities corrected) or a juror taken
    off the jury leaves the mean and the number of jurors alike.
    """
    contest = get_contest(session, contest_id)
    entries = {entry.id: entry for entry in submitted_entries(session, contest.id)}
    jury = {juror.email.lower(): juror for juror in contest.jury}
    declared = {
        (entry_id, email)
        for entry_id, email in session.execute(
            select(DeclaredConflict.entry_id, DeclaredConflict.juror_email).where(
                DeclaredConflict.entry_id.in_(entries)
            )
        )
    }
    found: dict[str, list[JurySheet]] = {entry_id: [] for entry_id in entries}
    for sheet in score_sheets(session, contest.id):
        if sheet.submitted_at is None or sheet.entry_id not in found:
            continue
        entry, juror = entries[sheet.entry_id], jury.get(sheet.juror_email.lower())
        mine = (entry.id, sheet.juror_email) in declared
        counted = juror is not None and not conflicted(
            juror.municipality_code, entry.municipality_codes, declared=mine
        )
        name = juror.name if juror else sheet.juror_email
        found[entry.id].append(
            JurySheet(name, sheet.juror_email, sheet.scores, sheet.comment, counted)
        )
    return found


@dataclass(frozen=True)
class Ranked:
    """A submitted entry in the ranking, with every juror's final sheet on it."""

    standing: Standing
    entry: Entry
    sheets: list[JurySheet]


def ranking(session: Session, contest_id: str) -> tuple[Contest, list[Ranked]]:
    """Every submitted entry by the final scores that count, with what staff need to weigh
    them (see ``jury_sheets``)."""
    contest = get_contest(session, contest_id)
    entries = {entry.id: entry for entry in submitted_entries(session, contest.id)}
    sheets = jury_sheets(session, contest.id)
    final = {
        entry_id: [sheet.scores for sheet in found if sheet.counted]
        for entry_id, found in sheets.items()
    }
    standings = rank_entries(final, contest.criteria, contest.min_scores)
    return contest, [
        Ranked(standing, entries[standing.entry_id], sheets[standing.entry_id])
        for standing in standings
    ]


def set_results(session: Session, contest_id: str, data: dict[str, Any], now: datetime) -> Contest:
    """The jury's decision: the winners by place and its report, before publication."""
    contest = get_contest(session, contest_id, lock=True)
    if now < contest.closes_at:
        raise Conflict("The winners can be chosen after the deadline.")
    if contest.published_at is not None:
        raise Conflict("The results have been published and can no longer change.")
    entries = {entry.id: entry for entry in submitted_entries(session, contest.id)}
    for index, winner in enumerate(data["winners"]):
        if str(winner["entry_id"]) not in entries:
            raise Invalid(
                "Only submitted entries of this contest can win.",
                errors={"winners": {str(index): ["Not a submitted entry of this contest."]}},
            )
    for entry in entries.values():
        entry.place = None
    for winner in data["winners"]:
        entries[str(winner["entry_id"])].place = winner["place"]
    contest.jury_report = data["jury_report"]
    return contest


def winners(session: Session, contest_id: str) -> list[Entry]:
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.contest_id == contest_id, Entry.place.is_not(None))
            .order_by(Entry.place)
        )
    )


def publish_results(
    session: Session, recorder: EventRecorder, contest_id: str, now: datetime
) -> Contest:
    contest = get_contest(session, contest_id, lock=True)
    if contest.published_at is not None:
        return contest
    won = winners(session, contest.id)
    reason = why_not_publishable(contest.publishes_at, len(won), now)
    if reason:
        raise Conflict(reason)
    contest.published_at = now
    recorder.record(
        session,
        ESSAY_WINNERS_ANNOUNCED,
        subject=f"contest/{contest.id}",
        data={
            "contest_id": contest.id,
            "entries": len(submitted_entries(session, contest.id)),
            "winners": [
                {"entry_id": e.id, "place": e.place, "municipality_codes": e.municipality_codes}
                for e in won
            ],
        },
    )
    for entry in won:
        queue_mail(session, MailQueue, Notice.WINNER, entry.id)
    return contest


@dataclass(frozen=True)
class PublishedResults:
    contest: Contest
    winners: list[Entry]  # by place


def published_results(session: Session, contest_id: str) -> PublishedResults:
    contest = get_contest(session, contest_id)
    if contest.published_at is None:
        raise NotFound("The results of this contest have not been published yet.")
    return PublishedResults(contest, winners(session, contest.id))


@dataclass(frozen=True)
class MunicipalityCounts:
    municipality_code: str
    municipality: str  # its name in the register
    signed_up: int
    confirmed: int
    submitted: int  # entries; one by authors from several municipalities counts in each


def counts_by_municipality(
    session: Session, contest_id: str, register: Register
) -> tuple[Contest, list[MunicipalityCounts]]:
    """Per municipality, by name: who signed up, who confirmed and the entries submitted.
    Counted from what erasure keeps (each entrant's municipality and confirmation, each
    entry's status), so the counts stay when the people behind them are forgotten."""
    contest = get_contest(session, contest_id)
    code = Entrant.municipality_code
    submitted = {
        found: entries
        for found, entries in session.execute(
            select(code, func.count(Entry.id.distinct()))
            .join(EntryAuthor, EntryAuthor.entrant_id == Entrant.id)
            .join(Entry, Entry.id == EntryAuthor.entry_id)
            .where(Entry.contest_id == contest.id, Entry.status == EntryStatus.SUBMITTED)
            .group_by(code)
        )
    }
    counts = [
        MunicipalityCounts(
            found,
            municipality_name(register, found),
            signed_up,
            confirmed,
            submitted.get(found, 0),
        )
        for found, signed_up, confirmed in session.execute(
            select(code, func.count(), func.count(Entrant.confirmed_at))
            .where(Entrant.contest_id == contest.id)
            .group_by(code)
        )
    ]
    return contest, sorted(counts, key=lambda row: (row.municipality, row.municipality_code))


def erase_personal_data(session: Session, contest_id: str, now: datetime) -> int:
    """After the contest: names, addresses and parties of entrants who did not win and did
    not consent go, with the essays only they wrote; counts by municipality stay."""
    contest = get_contest(session, contest_id, lock=True)
    reason = why_not_erasable(contest.published_at is not None)
    if reason:
        raise Conflict(reason)
    erased = 0
    entrants = session.scalars(select(Entrant).where(Entrant.contest_id == contest.id))
    for entrant in entrants:
        entry = entrant.authorship.entry if entrant.authorship else None
        if entrant.erased_at or entrant.consent_to_publish or (entry and entry.place):
            continue
        entrant.name = entrant.email = entrant.party = None
        entrant.erased_at = now
        erased += 1
    session.flush()
    for entry in session.scalars(select(Entry).where(Entry.contest_id == contest.id)):
        if entry.place is None and all(a.entrant.erased_at for a in entry.authors):
            entry.title = entry.text = None
            for received in receipts(session, entry.id):
                received.title = ""  # its fingerprint, count and time remain
    return erased
