"""Finding praktijkteam requests: one by its id, the staff's queue, and the team's capacity.

The use cases here and in ``moves``, ``contributions`` and ``erasure`` take a
session and plain data, never a Flask request, so the API and the pages call
the same functions. Everything that changes a request takes its row lock first
(``get_request(..., lock=True)``: ``SELECT ... FOR UPDATE``; on SQLite every
transaction writes alone) and reads the status under it: two staff members
moving one request at once queue up, and the second finds a status that no
longer allows its move.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from services.practiceteam.domain import Status, holds_capacity, overdue_before, workload
from services.practiceteam.models import (
    Assignment,
    PlannedDate,
    RequestMunicipality,
    RequestTheme,
    SupportRequest,
)
from shared.problems import NotFound

SORTS = ("target_group", "oldest", "newest")


def get_request(session: Session, request_id: str, *, lock: bool = False) -> SupportRequest:
    """A request with all its parts; ``lock`` for anything that changes it."""
    query = select(SupportRequest).where(SupportRequest.id == request_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    found = session.scalar(query)
    if found is None:
        raise NotFound(f"There is no praktijkteam request {request_id}.")
    return found


@dataclass(frozen=True)
class QueuePage:
    items: list[SupportRequest]
    total: int
    page: int
    per_page: int


def queue(
    session: Session,
    now: datetime,
    *,
    status: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    target_group: bool | None = None,
    older_than_days: int | None = None,
    overdue: bool | None = None,
    sort: str = "target_group",
    page: int = 1,
    per_page: int = 25,
) -> QueuePage:
    """The staff's queue: target-group requests first, then the longest waiting, by default."""
    in_target_group = SupportRequest.municipalities.any(RequestMunicipality.target_group.is_(True))
    late = and_(
        SupportRequest.status == Status.SUBMITTED,
        SupportRequest.created_at < overdue_before(now),
    )
    conditions = []
    if status:
        conditions.append(SupportRequest.status == status)
    if theme:
        conditions.append(SupportRequest.theme_rows.any(RequestTheme.theme == theme))
    if region:
        conditions.append(SupportRequest.municipalities.any(RequestMunicipality.region == region))
    if target_group is not None:
        conditions.append(in_target_group if target_group else ~in_target_group)
    if older_than_days is not None:
        conditions.append(SupportRequest.created_at <= now - timedelta(days=older_than_days))
    if overdue is not None:
        conditions.append(late if overdue else ~late)
    order = {
        "target_group": [case((in_target_group, 0), else_=1), SupportRequest.created_at],
        "oldest": [SupportRequest.created_at],
        "newest": [SupportRequest.created_at.desc()],
    }[sort]
    total = session.scalar(select(func.count()).select_from(SupportRequest).where(*conditions))
    items = session.scalars(
        select(SupportRequest)
        .where(*conditions)
        .order_by(*order, SupportRequest.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return QueuePage(list(items), total or 0, page, per_page)


@dataclass(frozen=True)
class MemberLoad:
    """How many requests one team member holds in each month (``YYYY-MM``)."""

    email: str
    name: str
    months: dict[str, int]
    unplanned: int


def capacity(session: Session) -> list[MemberLoad]:
    """Every team member's requests per month; declined and withdrawn requests hold nothing.

    Members are known by their e-mail address, so a request whose personal data
    was erased (final, so nothing to plan) no longer counts.
    """
    dates: dict[str, list[date]] = defaultdict(list)
    for request_id, day in session.execute(select(PlannedDate.request_id, PlannedDate.day)):
        dates[request_id].append(day)
    held: dict[str, list[list[date]]] = defaultdict(list)
    names: dict[str, str] = {}
    rows = session.execute(
        select(Assignment.email, Assignment.name, Assignment.request_id, SupportRequest.status)
        .join(SupportRequest, SupportRequest.id == Assignment.request_id)
        .where(Assignment.email.is_not(None))
        .order_by(Assignment.assigned_at)
    )
    for email, name, request_id, status in rows:
        names[email] = name
        if holds_capacity(Status(status)):
            held[email].append(dates[request_id])
    loads = []
    for email, name in names.items():
        months, unplanned = workload(held[email])
        loads.append(MemberLoad(email, name, dict(sorted(months.items())), unplanned))
    return sorted(loads, key=lambda load: (load.name.lower(), load.email))
