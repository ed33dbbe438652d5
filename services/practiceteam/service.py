"""Praktijkteam use cases: each one transaction, with its events in the outbox and its mail queued.

They take a session and plain data, never a Flask request, so the API and the
pages call the same functions. Everything that changes a request takes its row
lock first (``SELECT ... FOR UPDATE``; on SQLite every transaction writes
alone) and reads the status under it: two staff members moving one request at
once queue up, and the second finds a status that no longer allows its move.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, event, func, select
from sqlalchemy.orm import Session

from services.practiceteam.documents import DocumentStore, display_name
from services.practiceteam.domain import (
    ERASED,
    FINAL,
    MUNICIPALITY,
    NEEDS,
    Actor,
    IllegalTransition,
    MissingData,
    Notice,
    Party,
    Status,
    allowed_next,
    check_transition,
    erasure_due,
    holds_capacity,
    message_kind,
    overdue_before,
    why_closed_for_contributions,
    why_not_erasable,
    why_team_change_refused,
    workload,
)
from services.practiceteam.models import (
    Assignment,
    Attachment,
    MailQueue,
    Message,
    Note,
    PlannedDate,
    RequestMunicipality,
    RequestTheme,
    Signal,
    SupportRequest,
    Transition,
    new_id,
)
from shared.db import Database
from shared.events.catalogue import PRACTICETEAM_EVENTS
from shared.events.outbox import EventRecorder, utcnow
from shared.mail_queue import forget_mail, queue_mail
from shared.municipalities import Register
from shared.problems import Conflict, Invalid, NotFound

SORTS = ("target_group", "oldest", "newest")
# What a move may carry, as the caller passes it; the team and the evaluation
# are not passed with a move but must be there before it.
MOVE_DATA = ("reason", "dates", "report", "agreements")


# -- reading -----------------------------------------------------------------------


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


def get_attachment(session: Session, request_id: str, attachment_id: str) -> Attachment:
    found = session.get(Attachment, attachment_id)
    if found is None or found.request_id != request_id:
        raise NotFound(f"Request {request_id} has no attachment {attachment_id}.")
    if found.erased_at is not None:
        raise NotFound(f"Attachment {attachment_id} was erased with the request's personal data.")
    return found


def shared_signals(
    session: Session, *, theme: str | None = None, everything: bool = False
) -> list[Signal]:
    """What the ministry learned, newest first: the shareable signals, or (staff) all."""
    query = select(Signal).order_by(Signal.created_at.desc())
    if not everything:
        query = query.where(Signal.shareable.is_(True))
    return [signal for signal in session.scalars(query) if not theme or theme in signal.themes]


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


# -- the lifecycle ---------------------------------------------------------------------


def _event_data(request: SupportRequest, previous: str | None) -> dict[str, Any]:
    """What an event tells about a request: municipalities, themes and status, nothing personal."""
    data: dict[str, Any] = {
        "request_id": request.id,
        "status": request.status,
        "previous_status": previous,
        "municipality_codes": request.municipality_codes,
        "lead_municipality_code": request.lead_municipality_code,
        "themes": request.themes,
    }
    if request.status == Status.PLANNED:
        data["planned_dates"] = [row.day for row in request.dates]
    if request.status == Status.CLOSED:
        data["evaluation_score"] = request.evaluation_score
    return data


def _move(
    session: Session,
    recorder: EventRecorder,
    request: SupportRequest,
    to: Status,
    by: Actor,
    note: str | None,
) -> None:
    """Record a move: history, status, event, and a mail to the contact person."""
    previous = request.status  # None for a request just submitted
    step = Transition(
        id=new_id(),
        from_status=previous,
        to_status=to,
        actor=by.party,
        by=by.subject,
        note=note,
        at=utcnow(),
    )
    request.history.append(step)
    request.status = to
    request.status_changed_at = step.at
    request.version += 1
    session.flush()
    recorder.record(
        session,
        PRACTICETEAM_EVENTS[to],
        subject=f"request/{request.id}",
        data=_event_data(request, previous),
    )
    queue_mail(session, MailQueue, Notice.STATUS_CHANGED, step.id)


def _check(request: SupportRequest, to: Status, present: set[str]) -> None:
    """The domain's verdict as problems: 409 for a move the status does not allow (with
    the moves it does allow) or a request not ready for it, 422 for missing data."""
    try:
        check_transition(Status(request.status), to, present)
    except IllegalTransition as error:
        raise Conflict(str(error), current_status=request.status, allowed=error.allowed) from error
    except MissingData as error:
        unsent = [need for need in error.missing if need in MOVE_DATA]
        if unsent:
            raise Invalid(
                str(error), errors={need: [f"Needed to become {to}."] for need in unsent}
            ) from error
        raise Conflict(str(error), current_status=request.status, missing=error.missing) from error


def submit(
    session: Session, recorder: EventRecorder, register: Register, data: dict[str, Any]
) -> SupportRequest:
    """A new request, as loaded by ``schemas.RequestIn``; the municipality is told it arrived."""
    codes: list[str] = data["municipality_codes"]
    contact = data["contact"]
    request = SupportRequest(
        id=new_id(),
        lead_municipality_code=data.get("lead_municipality_code") or codes[0],
        contact_name=contact["name"],
        contact_email=contact["email"],
        contact_phone=contact["phone"],
        contact_function=contact["function"],
        question=data["question"],
        tried=data.get("tried") or "",
        desired_period=data.get("desired_period") or "",
        version=0,
        created_at=utcnow(),
        # Empty, not unloaded: the new request can be shown after its transaction.
        history=[],
        messages=[],
        notes=[],
        team=[],
        dates=[],
        attachments=[],
        signals=[],
    )
    for position, code in enumerate(codes):
        municipality = register.get(code)
        if municipality is None:
            raise Invalid(
                f"Unknown municipality code {code!r}.",
                errors={"municipality_codes": [f"Unknown municipality code {code!r}."]},
            )
        request.municipalities.append(
            RequestMunicipality(
                code=code,
                position=position,
                region=municipality.region,
                target_group=municipality.in_target_group,
            )
        )
    request.theme_rows = [RequestTheme(theme=theme) for theme in sorted(set(data["themes"]))]
    session.add(request)
    _move(session, recorder, request, Status.SUBMITTED, MUNICIPALITY, None)
    return request


def transition(
    session: Session,
    recorder: EventRecorder,
    request_id: str,
    to: str,
    by: Actor,
    *,
    note: str | None = None,
    version: int | None = None,
    reason: str | None = None,
    dates: list[dict[str, Any]] | None = None,
    report: str | None = None,
    agreements: str | None = None,
) -> SupportRequest:
    """Move a request on, with the data the move needs.

    ``version``, when given, is the version the caller saw: a request that has
    moved since is refused (409) rather than moved on a stale picture.
    """
    request = get_request(session, request_id, lock=True)
    target = Status(to)
    if version is not None and version != request.version:
        raise Conflict(
            f"The request changed since version {version}; it is now version "
            f"{request.version} and {request.status}.",
            current_status=request.status,
            allowed=allowed_next(Status(request.status)),
        )
    given = {"reason": reason, "dates": dates, "report": report, "agreements": agreements}
    present = {name for name, value in given.items() if value}
    _check(request, target, present | _prepared(request))
    unused = present - set(NEEDS.get(target, ()))
    if unused:
        raise Invalid(
            f"A move to {target} takes none of: {', '.join(sorted(unused))}.",
            errors={name: [f"Not used by a move to {target}."] for name in sorted(unused)},
        )
    if target == Status.DECLINED:
        request.decline_reason = reason
    elif target == Status.PLANNED:
        request.dates = [
            PlannedDate(day=row["date"], description=row["description"])
            for row in sorted(dates or [], key=lambda row: row["date"])
        ]
    elif target == Status.COMPLETED:
        request.report, request.agreements = report, agreements
    _move(session, recorder, request, target, by, note)
    return request


def _prepared(request: SupportRequest) -> set[str]:
    """What the request itself already has that a move may need."""
    ready = set()
    if request.team:
        ready.add("team")
    if request.evaluation_score is not None:
        ready.add("evaluation")
    return ready


def withdraw(
    session: Session, recorder: EventRecorder, request_id: str, by: Actor, note: str | None = None
) -> SupportRequest:
    """The municipality takes its request back; possible until the team has started."""
    return transition(session, recorder, request_id, Status.WITHDRAWN, by, note=note)


def evaluate(
    session: Session,
    recorder: EventRecorder,
    request_id: str,
    by: Actor,
    score: int,
    comment: str,
) -> SupportRequest:
    """The municipality's evaluation (1-5 and a comment) closes a completed request."""
    request = get_request(session, request_id, lock=True)
    _check(request, Status.CLOSED, {"evaluation"})
    request.evaluation_score = score
    request.evaluation_comment = comment
    request.evaluated_at = utcnow()
    _move(session, recorder, request, Status.CLOSED, by, None)
    return request


# -- working on a request ------------------------------------------------------------------


def _open_for_contributions(session: Session, request_id: str) -> SupportRequest:
    request = get_request(session, request_id, lock=True)
    reason = why_closed_for_contributions(Status(request.status))
    if reason:
        raise Conflict(reason, current_status=request.status)
    return request


def add_message(
    session: Session, request_id: str, by: Actor, body: str, in_reply_to: str | None = None
) -> Message:
    """A question from the ministry (mailed to the contact person), or the municipality's
    answer to one, or more information from the municipality."""
    request = _open_for_contributions(session, request_id)
    if in_reply_to is not None:
        replied = next((m for m in request.messages if m.id == in_reply_to), None)
        if replied is None or replied.actor == by.party:
            raise Invalid(
                "A reply answers a message from the other side of this request.",
                errors={"in_reply_to": [f"No message {in_reply_to} to reply to here."]},
            )
    message = Message(
        id=new_id(),
        actor=by.party,
        by=by.subject,
        kind=message_kind(by.party, in_reply_to is not None),
        in_reply_to=in_reply_to,
        body=body,
        created_at=utcnow(),
    )
    request.messages.append(message)
    session.flush()
    if by.party == Party.MINISTRY:
        queue_mail(session, MailQueue, Notice.QUESTION, message.id)
    return message


def add_note(session: Session, request_id: str, by: Actor, body: str) -> Note:
    """An internal note: staff only, never shown to the municipality or put in an event."""
    request = get_request(session, request_id, lock=True)
    note = Note(id=new_id(), by=by.subject or "", body=body, created_at=utcnow())
    request.notes.append(note)
    session.flush()
    return note


def _team_changing(session: Session, request_id: str, change: int) -> SupportRequest:
    """The locked request, if its team may grow or shrink by ``change`` now."""
    request = get_request(session, request_id, lock=True)
    reason = why_team_change_refused(Status(request.status), len(request.team) + change)
    if reason:
        raise Conflict(reason, current_status=request.status)
    return request


def assign(
    session: Session, request_id: str, by: Actor, name: str, email: str, role: str
) -> Assignment:
    request = _team_changing(session, request_id, +1)
    email = email.lower()
    if any(member.email == email for member in request.team):
        raise Conflict(f"{email} is already on this request's team.")
    member = Assignment(
        id=new_id(), name=name, email=email, role=role, by=by.subject or "", assigned_at=utcnow()
    )
    request.team.append(member)
    session.flush()
    return member


def unassign(session: Session, request_id: str, assignment_id: str) -> SupportRequest:
    request = _team_changing(session, request_id, -1)
    member = next((m for m in request.team if m.id == assignment_id), None)
    if member is None:
        raise NotFound(f"Request {request_id} has no team member {assignment_id}.")
    request.team.remove(member)
    session.flush()
    return request


def record_signal(
    session: Session,
    request_id: str,
    by: Actor,
    summary: str,
    body: str,
    themes: list[str],
    shareable: bool,
) -> Signal:
    """What the ministry learned from a request; shareable ones are shown to municipalities."""
    request = get_request(session, request_id, lock=True)
    signal = Signal(
        id=new_id(),
        summary=summary,
        body=body,
        themes=themes or request.themes,
        shareable=shareable,
        by=by.subject or "",
        created_at=utcnow(),
    )
    request.signals.append(signal)
    session.flush()
    return signal


def add_attachment(
    session: Session,
    store: DocumentStore,
    request_id: str,
    by: Actor,
    filename: str | None,
    content: bytes,
) -> Attachment:
    """Keep a document with the request; refused by content, not by name.

    The file is written after its row, and removed again if the transaction
    rolls back, so neither is left without the other.
    """
    media_type = store.check(content)
    request = _open_for_contributions(session, request_id)
    attachment = Attachment(
        id=new_id(),
        filename=display_name(filename, media_type),
        media_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        actor=by.party,
        by=by.subject,
        created_at=utcnow(),
    )
    request.attachments.append(attachment)
    session.flush()
    store.save(attachment.id, content)
    event.listen(session, "after_rollback", lambda _: store.remove(attachment.id), once=True)
    return attachment


# -- retention ---------------------------------------------------------------------------------


def erase(session: Session, store: DocumentStore, request_id: str, now: datetime) -> SupportRequest:
    """Erase a final request's personal data now, before its retention period ends (staff).

    Erasing it again changes nothing: the request keeps its first ``erased_at``.
    """
    request = get_request(session, request_id, lock=True)
    reason = why_not_erasable(Status(request.status))
    if reason:
        raise Conflict(reason, current_status=request.status)
    if request.erased_at is None:
        _forget(session, store, request, now)
    return request


def erase_due(db: Database, store: DocumentStore, now: datetime, retention_days: int) -> int:
    """Erase every request whose retention period is over, each in its own transaction;
    returns how many were erased now (one erased meanwhile by someone else is not counted)."""
    with db.transaction() as session:
        final = session.execute(
            select(SupportRequest.id, SupportRequest.status, SupportRequest.status_changed_at)
            .where(SupportRequest.erased_at.is_(None), SupportRequest.status.in_(FINAL))
            .order_by(SupportRequest.status_changed_at)
        ).all()
    erased = 0
    for request_id, status, since in final:
        if not erasure_due(Status(status), since, now, retention_days):
            continue
        with db.transaction() as session:
            request = get_request(session, request_id, lock=True)
            if request.erased_at is None:
                _forget(session, store, request, now)
                erased += 1
    return erased


def _forget(session: Session, store: DocumentStore, request: SupportRequest, now: datetime) -> None:
    """What identifies the contact person, or was written by them, goes; the request stays.

    Erased: the contact's name, e-mail, phone and function; the municipality's own
    messages, its notes to moves (a reason to withdraw) and its evaluation comment,
    because they are the contact person's words in a conversation and may say
    anything about them; the team's e-mail addresses; the documents (files removed
    once the erasure is committed); mail not yet sent, which would go to nobody, and
    the error text kept with the rest.
    Kept: the question and what was tried, the decline reason, report, agreements,
    signals, the ministry's questions and internal notes. They are the programme's
    knowledge of what municipalities ask and what helped them, and personal data in
    free text cannot be found reliably, so what is kept is what the ministry needs.
    Municipalities, themes, history and the score stay: they are what is reported.
    """
    request.contact_name = request.contact_email = ERASED
    request.contact_phone = request.contact_function = ERASED
    if request.evaluation_comment:
        request.evaluation_comment = ERASED
    for step in request.history:
        if step.actor == Party.MUNICIPALITY and step.note:
            step.note = ERASED
    for message in request.messages:
        if message.actor == Party.MUNICIPALITY:
            message.body = ERASED
    for member in request.team:
        member.email = None
    documents = [document.id for document in request.attachments]
    for document in request.attachments:
        document.filename = ERASED
        document.erased_at = now
    about = [step.id for step in request.history] + [message.id for message in request.messages]
    forget_mail(session, MailQueue, about)
    request.erased_at = now
    session.flush()

    def remove_files(_: Session) -> None:
        for document_id in documents:
            store.remove(document_id)

    event.listen(session, "after_commit", remove_files, once=True)
