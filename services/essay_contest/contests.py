"""Contests: creating and changing them and their settings, the current one, and what the
other use cases ask of a contest (is writing open, its submitted entries, its score sheets).

Each use case is one transaction; ``now`` comes from the caller's clock: the deadline is
whatever that clock says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.essay_contest.domain import (
    EntryStatus,
    why_limits_wrong,
    why_window_wrong,
    why_writing_closed,
)
from services.essay_contest.models import Contest, Entry, Juror, ScoreSheet
from shared.clock import utc_text
from shared.problems import Conflict, Invalid, NotFound


def get_contest(session: Session, contest_id: str, *, lock: bool = False) -> Contest:
    query = select(Contest).where(Contest.id == contest_id)
    contest = session.scalar(query.with_for_update() if lock else query)
    if contest is None:
        raise NotFound(f"There is no contest {contest_id}.")
    return contest


def all_contests(session: Session) -> list[Contest]:
    return list(session.scalars(select(Contest).order_by(Contest.opens_at.desc())))


def current_contest(session: Session) -> Contest | None:
    """The contest the public pages show: the one that opened (or opens) last."""
    return session.scalar(select(Contest).order_by(Contest.opens_at.desc()).limit(1))


def _apply_contest(contest: Contest, data: dict[str, Any]) -> None:
    jury = data.pop("jury", None)
    for key, value in data.items():
        setattr(contest, "criteria_spec" if key == "criteria" else key, value)
    if jury is not None:
        contest.jury = [Juror(**juror) for juror in jury]
    wrong = why_window_wrong(contest.opens_at, contest.closes_at, contest.publishes_at)
    if wrong:
        raise Invalid("The contest's dates are out of order.", errors={wrong[0]: [wrong[1]]})
    limits = why_limits_wrong(contest.min_words, contest.max_words)
    if limits:
        raise Invalid(limits, errors={"max_words": [limits]})


def create_contest(session: Session, data: dict[str, Any]) -> Contest:
    contest = Contest()
    _apply_contest(contest, dict(data))
    session.add(contest)
    session.flush()
    return contest


def change_contest(session: Session, contest_id: str, data: dict[str, Any]) -> Contest:
    """Anything may change until the results are out, except the criteria once judging began."""
    contest = get_contest(session, contest_id, lock=True)
    if contest.published_at is not None:
        raise Conflict("The results have been published; the contest can no longer change.")
    changes_criteria = "criteria" in data and data["criteria"] != contest.criteria_spec
    if changes_criteria and score_sheets(session, contest.id):
        raise Conflict("The jury has started scoring; the criteria can no longer change.")
    _apply_contest(contest, dict(data))
    session.flush()
    return contest


def writing_open(contest: Contest, now: datetime) -> None:
    reason = why_writing_closed(contest.opens_at, contest.closes_at, now)
    if reason:
        raise Conflict(reason, deadline=utc_text(contest.closes_at))


def submitted_entries(session: Session, contest_id: str) -> list[Entry]:
    return list(
        session.scalars(
            select(Entry).where(
                Entry.contest_id == contest_id, Entry.status == EntryStatus.SUBMITTED
            )
        )
    )


def score_sheets(session: Session, contest_id: str) -> list[ScoreSheet]:
    return list(
        session.scalars(
            select(ScoreSheet)
            .join(Entry)
            .where(Entry.contest_id == contest_id)
            .order_by(ScoreSheet.juror_email)
        )
    )
