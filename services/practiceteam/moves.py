"""How a praktijkteam request's status moves: submitted, moved on by staff, withdrawn or
closed by the municipality's evaluation. Each move is one transaction under the
request's row lock, kept in its history with an event in the outbox and a mail queued.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from services.practiceteam.contributions import add_attachment
from services.practiceteam.domain import (
    MUNICIPALITY,
    NEEDS,
    Actor,
    IllegalTransition,
    MissingData,
    Notice,
    Status,
    allowed_next,
    check_transition,
)
from services.practiceteam.models import (
    MailQueue,
    PlannedDate,
    RequestMunicipality,
    RequestTheme,
    SupportRequest,
    Transition,
    new_id,
)
from services.practiceteam.requests import get_request
from shared.clock import utcnow
from shared.documents import DocumentStore
from shared.events.catalogue import PRACTICETEAM_EVENTS
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.municipalities import Register
from shared.problems import Conflict, Invalid

# What a move may carry, as the caller passes it; the team and the evaluation
# are not passed with a move but must be there before it.
MOVE_DATA = ("reason", "dates", "report", "agreements")


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


def submit_with_documents(
    session: Session,
    recorder: EventRecorder,
    register: Register,
    data: dict[str, Any],
    store: DocumentStore,
    documents: Sequence[tuple[str, bytes]],
) -> SupportRequest:
    """A new request with the documents sent along, as ``(filename, content)``: a document
    that is refused refuses the request too, so nothing is left half-sent."""
    request = submit(session, recorder, register, data)
    for filename, content in documents:
        add_attachment(session, store, request.id, MUNICIPALITY, filename, content)
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
