"""Judging: the entries a jury member judges, anonymised, their scores and declared conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.essay_contest.contests import get_contest, submitted_entries
from services.essay_contest.domain import (
    conflicted,
    jury_handle,
    jury_order,
    why_judging_closed,
    why_scores_wrong,
)
from services.essay_contest.models import Contest, DeclaredConflict, Entry, Juror, ScoreSheet
from shared.problems import Conflict, Forbidden, Invalid, NotFound


@dataclass(frozen=True)
class Judge:
    """A jury member at work: who they are, the key their handles for entries are made with,
    and the time by the caller's clock."""

    email: str
    secret: str
    now: datetime


@dataclass(frozen=True)
class JuryView:
    """Exactly what a juror may see of an entry: its words, never its authors or its times."""

    handle: str
    title: str | None  # None, like the text, once they declared a conflict
    text: str | None
    word_count: int
    conflict_declared: bool
    scores: dict[str, int] | None  # their own, not yet scored: None
    comment: str | None
    final: bool


def _juror(contest: Contest, email: str) -> Juror:
    juror = next((j for j in contest.jury if j.email.lower() == email.lower()), None)
    if juror is None:
        raise Forbidden("You are not on the jury of this contest.")
    return juror


def _judging_open(contest: Contest, now: datetime) -> None:
    reason = why_judging_closed(contest.closes_at, contest.published_at is not None, now)
    if reason:
        raise Conflict(reason)


def _declared(session: Session, juror_email: str) -> set[str]:
    return set(
        session.scalars(
            select(DeclaredConflict.entry_id).where(DeclaredConflict.juror_email == juror_email)
        )
    )


def jury_entries(session: Session, contest_id: str, judge: Judge) -> list[JuryView]:
    """The entries one juror judges, in their own order, each by their own handle.

    Entries from the juror's own municipality are left out altogether (showing
    them as "conflicted" would say where they come from); declared conflicts
    stay listed, without the text, so the juror sees they are excluded.
    """
    contest = get_contest(session, contest_id)
    juror = _juror(contest, judge.email)
    _judging_open(contest, judge.now)
    declared = _declared(session, juror.email)
    entries = {
        entry.id: entry
        for entry in submitted_entries(session, contest.id)
        if not conflicted(juror.municipality_code, entry.municipality_codes, declared=False)
    }
    sheets = {
        sheet.entry_id: sheet
        for sheet in session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.juror_email == juror.email, ScoreSheet.entry_id.in_(entries)
            )
        )
    }
    return [
        _jury_view(entries[entry_id], judge, juror, entry_id in declared, sheets.get(entry_id))
        for entry_id in jury_order(judge.secret, juror.email, entries)
    ]


def _jury_view(
    entry: Entry, judge: Judge, juror: Juror, declared: bool, sheet: ScoreSheet | None
) -> JuryView:
    return JuryView(
        handle=jury_handle(judge.secret, juror.email, entry.id),
        title=None if declared else entry.title,
        text=None if declared else entry.text,
        word_count=entry.word_count,
        conflict_declared=declared,
        scores=sheet.scores if sheet else None,
        comment=sheet.comment if sheet else None,
        final=bool(sheet and sheet.submitted_at),
    )


def _by_handle(
    session: Session, contest_id: str, judge: Judge, handle: str
) -> tuple[Contest, Juror, Entry]:
    contest = get_contest(session, contest_id)
    juror = _juror(contest, judge.email)
    _judging_open(contest, judge.now)
    for entry in submitted_entries(session, contest.id):
        if jury_handle(judge.secret, juror.email, entry.id) == handle:
            return contest, juror, entry
    raise NotFound("There is no such entry for you to judge.")


def jury_entry(session: Session, contest_id: str, judge: Judge, handle: str) -> JuryView:
    _, juror, entry = _by_handle(session, contest_id, judge, handle)
    if conflicted(juror.municipality_code, entry.municipality_codes, declared=False):
        raise NotFound("There is no such entry for you to judge.")
    sheet = session.get(ScoreSheet, (entry.id, juror.email))
    return _jury_view(entry, judge, juror, entry.id in _declared(session, juror.email), sheet)


def score_entry(
    session: Session, contest_id: str, judge: Judge, handle: str, data: dict[str, Any]
) -> JuryView:
    """Save a juror's scores and comment; ``final`` submits them, after which they stay."""
    contest, juror, entry = _by_handle(session, contest_id, judge, handle)
    declared = entry.id in _declared(session, juror.email)
    if conflicted(juror.municipality_code, entry.municipality_codes, declared=declared):
        raise Forbidden("You have a conflict of interest with this entry and cannot score it.")
    reason = why_scores_wrong(data["scores"], contest.criteria)
    if reason:
        raise Invalid(reason, errors={"scores": [reason]})
    # The entry's row lock queues a juror's saves from two tabs: the second finds the sheet
    # the first made, where both would otherwise insert one.
    session.execute(select(Entry.id).where(Entry.id == entry.id).with_for_update())
    sheet = session.get(ScoreSheet, (entry.id, juror.email), populate_existing=True)
    if sheet is not None and sheet.submitted_at is not None:
        raise Conflict("Your scores for this entry have been submitted and are final.")
    if sheet is None:
        sheet = ScoreSheet(entry_id=entry.id, juror_email=juror.email)
        session.add(sheet)
    sheet.scores = dict(data["scores"])
    sheet.comment = data.get("comment") or ""
    sheet.updated_at = judge.now
    sheet.submitted_at = judge.now if data.get("final") else None
    session.flush()
    return _jury_view(entry, judge, juror, False, sheet)


def declare_conflict(session: Session, contest_id: str, judge: Judge, handle: str) -> JuryView:
    """The juror is excluded from the entry; scores not yet submitted are dropped."""
    _, juror, entry = _by_handle(session, contest_id, judge, handle)
    sheet = session.get(ScoreSheet, (entry.id, juror.email))
    if sheet is not None and sheet.submitted_at is not None:
        raise Conflict("Your scores for this entry have been submitted and are final.")
    if sheet is not None:
        session.delete(sheet)
    if session.get(DeclaredConflict, (entry.id, juror.email)) is None:
        session.add(
            DeclaredConflict(entry_id=entry.id, juror_email=juror.email, declared_at=judge.now)
        )
    session.flush()
    return _jury_view(entry, judge, juror, True, None)
