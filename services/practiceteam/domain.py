"""Praktijkteam rules, free of Flask and SQL: the lifecycle of a request and its deadlines.

A request moves through one explicit state machine. Each move may need data
(a reason to decline, a team and dates to plan, a report to complete, the
municipality's evaluation to close); the rules say which, so the service, the
API and the pages all refuse the same things for the same reasons.

Deadlines count working days: Monday to Friday, except the Dutch public
holidays as the ``holidays`` library lists them for the Netherlands (see
``days_off``), so an intake due in ten working days never falls on New
Year's Day or between Christmas and a weekend.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache

import holidays

from shared.clock import AMSTERDAM


class Status(StrEnum):
    SUBMITTED = "submitted"
    INTAKE = "intake"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# The moves a request can make from each status. A municipality may withdraw
# until the team has started; declined, closed and withdrawn are final.
NEXT: dict[Status, frozenset[Status]] = {
    Status.SUBMITTED: frozenset({Status.INTAKE, Status.WITHDRAWN}),
    Status.INTAKE: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset({Status.PLANNED, Status.WITHDRAWN}),
    Status.PLANNED: frozenset({Status.IN_PROGRESS, Status.WITHDRAWN}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset({Status.CLOSED}),
    Status.DECLINED: frozenset(),
    Status.CLOSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# What a move needs besides itself: the municipality reads the reason of a
# refusal, a plan names a team and dates, a completed request has its report
# and agreements, and a request closes with the municipality's evaluation.
NEEDS: dict[Status, tuple[str, ...]] = {
    Status.DECLINED: ("reason",),
    Status.PLANNED: ("team", "dates"),
    Status.COMPLETED: ("report", "agreements"),
    Status.CLOSED: ("evaluation",),
}

FINAL = frozenset(status for status, moves in NEXT.items() if not moves)
# Messages and attachments belong to requests not yet final; the team is
# settled once the work is done.
OPEN = frozenset(Status) - FINAL
TEAM_OPEN = OPEN - {Status.COMPLETED}
TEAM_ROLES = ("lead", "member")


class Notice(StrEnum):
    """The mails the service queues: each names the row it is about."""

    STATUS_CHANGED = "status_changed"  # about a Transition
    QUESTION = "question_asked"  # about a Message from the ministry
    ASSIGNED = "team_assigned"  # about an Assignment: to the team member, not the contact


class Party(StrEnum):
    MINISTRY = "ministry"
    MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class Actor:
    """Who does something: ministry staff by their login, or the municipality by its link."""

    party: Party
    subject: str | None = None


MUNICIPALITY = Actor(Party.MUNICIPALITY)


def staff(subject: str) -> Actor:
    return Actor(Party.MINISTRY, subject)


def message_kind(party: Party, in_reply: bool) -> str:
    """The ministry asks; the municipality answers a question or adds information."""
    if party == Party.MINISTRY:
        return "question"
    return "answer" if in_reply else "information"


def why_lead_wrong(codes: list[str], lead: str | None) -> str | None:
    """A request for a group names its lead municipality, one of the group."""
    if lead is None:
        if len(set(codes)) > 1:
            return "A request for more than one municipality names its lead municipality."
        return None
    if lead not in codes:
        return "The lead municipality must be one of the request's municipalities."
    return None


class IllegalTransition(Exception):
    """A move the state machine does not have; ``allowed`` are the moves it does have."""

    def __init__(self, current: Status, to: Status) -> None:
        self.current = current
        self.to = to
        self.allowed = allowed_next(current)
        where = ", ".join(self.allowed) if self.allowed else "nothing: this status is final"
        super().__init__(f"A request that is {current} cannot become {to}; it can become {where}.")


class MissingData(Exception):
    """A legal move without the data it needs; ``missing`` names the data."""

    def __init__(self, to: Status, missing: list[str]) -> None:
        self.to = to
        self.missing = missing
        super().__init__(f"To become {to} a request needs: {', '.join(missing)}.")


def allowed_next(current: Status) -> list[str]:
    """The statuses a request can move to, in the order of the lifecycle."""
    return [status.value for status in Status if status in NEXT[current]]


def check_transition(current: Status, to: Status, present: Collection[str]) -> None:
    """Raise unless ``current`` may become ``to`` with the data named in ``present``."""
    if to not in NEXT[current]:
        raise IllegalTransition(current, to)
    missing = [need for need in NEEDS.get(to, ()) if need not in present]
    if missing:
        raise MissingData(to, missing)


def why_closed_for_contributions(status: Status) -> str | None:
    """Why nothing can be added to a request any more, or None while it can."""
    if status in OPEN:
        return None
    return f"This request is {status}; nothing can be added to it any more."


def why_team_change_refused(status: Status, members_left: int) -> str | None:
    """The team is settled once the work is done; a planned or running request keeps one."""
    if status not in TEAM_OPEN:
        return f"This request is {status}; its team can no longer change."
    if members_left < 1 and status in (Status.PLANNED, Status.IN_PROGRESS):
        return f"A request that is {status} keeps at least one team member."
    return None


# -- deadlines -----------------------------------------------------------------------

INTAKE_WORKING_DAYS = 10


@dataclass(frozen=True)
class NextStep:
    """What the municipality waits for, and the day it can expect it."""

    step: str
    expected_on: date


# The norm for the steps that wait on the ministry alone, in working days from
# the moment the request reached its status.
NORMS: dict[Status, tuple[str, int]] = {
    Status.SUBMITTED: ("intake", INTAKE_WORKING_DAYS),
    Status.INTAKE: ("decision", 10),
    Status.ACCEPTED: ("planning", 15),
    Status.COMPLETED: ("evaluation", 10),
}
REPORT_WORKING_DAYS = 10


@cache
def days_off(year: int) -> frozenset[date]:
    """The Dutch public holidays of ``year`` that are no working day.

    The ``holidays`` library's list for NL, in its "public" and "optional" categories:
    Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag, Koningsdag (27 April;
    Koninginnedag, 30 April, until 2013; moved to the Saturday before when it falls on a
    Sunday), Bevrijdingsdag (5 May), Hemelvaartsdag, Eerste en Tweede Pinksterdag, and
    Eerste en Tweede Kerstdag. Two choices are ours:

    - Bevrijdingsdag counts every year. The library lists it as a public holiday only in
      lustrum years (2015, 2020, 2025, ...), the day off many collective agreements give,
      and every year in its "optional" category; the Algemene termijnenwet, by which Dutch
      public bodies count their time limits, names the fifth of May every year.
    - Goede Vrijdag counts, as the library has it, although the Algemene termijnenwet's
      list does not name it: many offices close that day, and a date promised one working
      day later is one the ministry can keep.

    Easter and Whit Sunday fall on a Sunday anyway; regional days (carnival, school
    holidays) do not count.
    """
    listed = holidays.country_holidays(
        "NL", years=year, categories=(holidays.PUBLIC, holidays.OPTIONAL)
    )
    return frozenset(listed)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in days_off(day.year)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day (Monday to Friday, not a public holiday) after ``day``."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def local_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def overdue_before(now: datetime) -> datetime:
    """Requests submitted before this moment have waited too long for their intake.

    A request is on time until the tenth working day after the day it came in
    ends; this is the start of the earliest submission day still on time.
    """
    today = local_day(now)
    day = today
    while add_working_days(day - timedelta(days=1), INTAKE_WORKING_DAYS) >= today:
        day -= timedelta(days=1)
    return datetime.combine(day, time(), tzinfo=AMSTERDAM)


def intake_overdue(status: Status, submitted_at: datetime, now: datetime) -> bool:
    return status == Status.SUBMITTED and submitted_at < overdue_before(now)


def next_step(status: Status, since: datetime, dates: list[date]) -> NextStep | None:
    """The next step and its expected date; None once the request is final."""
    if status in NORMS:
        step, days = NORMS[status]
        return NextStep(step, add_working_days(local_day(since), days))
    if status == Status.PLANNED and dates:
        return NextStep("start", min(dates))
    if status == Status.IN_PROGRESS and dates:
        return NextStep("report", add_working_days(max(dates), REPORT_WORKING_DAYS))
    return None


# -- retention -------------------------------------------------------------------------

# What stands where the contact person's details and own words were.
ERASED = "gewist"


def why_not_erasable(status: Status) -> str | None:
    """Personal data goes only from a final request: while it is open the ministry still
    needs to reach the contact person, and they still need their link and documents."""
    if status in FINAL:
        return None
    return (
        f"This request is {status}; its personal data can be erased once it is closed, "
        "declined or withdrawn."
    )


def erasure_due(status: Status, final_since: datetime, now: datetime, retention_days: int) -> bool:
    """Whether a request's personal data must go now (``GIA_PRACTICETEAM_RETENTION_DAYS``).

    The retention period runs from the moment the request became final (closed,
    declined or withdrawn; a final status never changes again). One year by
    default: long enough for the programme's reporting over 2012, to Parliament
    in 2013, to check a request with its contact person, and for a municipality
    to come back to a recent answer; after that nobody needs to reach that person
    about that request, so keeping their details serves nothing. What the
    programme reports (municipalities, themes, history, score) is kept.
    """
    return status in FINAL and now >= final_since + timedelta(days=retention_days)


# -- capacity --------------------------------------------------------------------------


def months_spanned(dates: list[date]) -> list[str]:
    """Every month (``YYYY-MM``) from the first date to the last."""
    first, last = min(dates), max(dates)
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def holds_capacity(status: Status) -> bool:
    """Declined and withdrawn requests never took a team's time."""
    return status not in (Status.DECLINED, Status.WITHDRAWN)


def workload(dates_per_request: Iterable[list[date]]) -> tuple[Counter[str], int]:
    """One member's requests per month, and how many of them have no dates yet.

    A request counts in every month from its first planned date to its last.
    """
    months: Counter[str] = Counter()
    unplanned = 0
    for dates in dates_per_request:
        if dates:
            months.update(months_spanned(dates))
        else:
            unplanned += 1
    return months, unplanned
