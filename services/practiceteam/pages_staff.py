"""The ministry's pages, for staff logged in: the queue, a request's page with everything
staff do there, and the team's capacity.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, request, url_for
from marshmallow import Schema, ValidationError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from services.practiceteam import contributions, erasure, moves, requests
from services.practiceteam.documents import DocumentStore
from services.practiceteam.domain import FINAL, Actor, Status, allowed_next, staff
from services.practiceteam.forms import PHRASEBOOK
from services.practiceteam.pages_common import attach_upload, pages, refusal_feedback
from services.practiceteam.schemas import (
    AssignmentIn,
    ErasureIn,
    MessageIn,
    NoteIn,
    QueueQuery,
    SignalIn,
    TransitionIn,
)
from services.practiceteam.uploads import takes_attachments
from shared.problems import Problem
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, load_form
from shared.web.service import service_context

# -- staff: the queue, a request, capacity ------------------------------------------------


def _me() -> Actor:
    principal = session_principal()
    assert principal is not None  # page_for let only staff through
    return staff(principal.subject)


@pages.get("/beheer")
@page_for("staff")
def queue() -> tuple[str, int]:
    """Target-group municipalities first by default; filters are links that can be kept."""
    query = QueueQuery()
    try:
        chosen = query.load(
            {name: request.args[name] for name in query.fields if request.args.get(name)}
        )
    except ValidationError as error:
        chosen, feedback = query.load({}), PHRASEBOOK.feedback(error)
    else:
        feedback = Feedback()
    with service_context().db.transaction() as session:
        found = requests.queue(session, datetime.now(UTC), **chosen)
        page = render_template(
            "practiceteam/staff/queue.html",
            found=found,
            chosen=chosen,
            values=request.args,
            feedback=feedback,
            last_page=max(1, -(-found.total // found.per_page)),
        )
    return page, feedback.status


def _request_page(request_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    with service_context().db.transaction() as session:
        found = requests.get_request(session, request_id)
        return render_template(
            "practiceteam/staff/request.html",
            request=found,
            moves=[Status(move) for move in allowed_next(Status(found.status))],
            erasable=found.erased_at is None and Status(found.status) in FINAL,
            retention_days=service_context().settings.practiceteam_retention_days,
            feedback=feedback,
            values=request.form if request.method == "POST" else MultiDict(),
        ), feedback.status


@pages.get("/beheer/aanvragen/<uuid:request_id>")
@page_for("staff")
def staff_request(request_id: UUID) -> tuple[str, int]:
    return _request_page(str(request_id))


def _by_staff(
    request_id: UUID,
    schema: Schema | None,
    act: Callable[[Session, dict[str, Any]], object],
    done: str,
) -> Any:
    """One thing a staff member does on a request's page, then back to that page."""
    try:
        data = load_form(schema) if schema else {}
        with service_context().db.transaction() as session:
            act(session, data)
    except (ValidationError, Problem) as error:
        return _request_page(str(request_id), refusal_feedback(error))
    flash(done)
    return redirect(url_for(".staff_request", request_id=request_id))


@pages.post("/beheer/aanvragen/<uuid:request_id>/status")
@page_for("staff")
def move(request_id: UUID) -> Any:
    """The version the page showed goes along: a request that moved meanwhile is refused."""
    context = service_context()
    return _by_staff(
        request_id,
        TransitionIn(),
        lambda session, data: moves.transition(
            session, context.recorder, str(request_id), by=_me(), **data
        ),
        "De status is gewijzigd; de gemeente krijgt bericht.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/vraag")
@page_for("staff")
def ask(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        MessageIn(),
        lambda session, data: contributions.add_message(session, str(request_id), _me(), **data),
        "De vraag is gesteld; de gemeente krijgt hem per e-mail.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/notitie")
@page_for("staff")
def note(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        NoteIn(),
        lambda session, data: contributions.add_note(session, str(request_id), _me(), data["body"]),
        "De interne notitie is opgeslagen.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/team")
@page_for("staff")
def assign(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        AssignmentIn(),
        lambda session, data: contributions.assign(session, str(request_id), _me(), **data),
        "Het teamlid is toegewezen.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/team/<uuid:assignment_id>/verwijderen")
@page_for("staff")
def unassign(request_id: UUID, assignment_id: UUID) -> Any:
    return _by_staff(
        request_id,
        None,
        lambda session, _: contributions.unassign(session, str(request_id), str(assignment_id)),
        "Het teamlid is van de aanvraag gehaald.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/signaal")
@page_for("staff")
def signal(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        SignalIn(),
        lambda session, data: contributions.record_signal(session, str(request_id), _me(), **data),
        "Het signaal is vastgelegd.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/bijlage")
@page_for("staff")
@takes_attachments(1)
def staff_attachment(request_id: UUID) -> Any:
    try:
        attach_upload(str(request_id), _me())
    except Problem as error:
        return _request_page(str(request_id), refusal_feedback(error))
    flash("Het document is toegevoegd aan de aanvraag.")
    return redirect(url_for(".staff_request", request_id=request_id))


@pages.post("/beheer/aanvragen/<uuid:request_id>/wissen")
@page_for("staff")
def erase(request_id: UUID) -> Any:
    """A final request's personal data now, rather than when its retention period ends."""
    context = service_context()
    store = DocumentStore.from_settings(context.settings)
    return _by_staff(
        request_id,
        ErasureIn(),
        lambda session, _: erasure.erase(session, store, str(request_id), datetime.now(UTC)),
        "De persoonsgegevens van deze aanvraag zijn gewist.",
    )


@pages.get("/beheer/capaciteit")
@page_for("staff")
def capacity() -> str:
    with service_context().db.transaction() as session:
        loads = requests.capacity(session)
    months = sorted({month for load in loads for month in load.months})
    return render_template("practiceteam/staff/capacity.html", loads=loads, months=months)
