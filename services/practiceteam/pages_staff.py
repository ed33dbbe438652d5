"""The ministry's pages, for staff logged in: the queue, a request's page with everything
staff do there, and the team's capacity.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from services.practiceteam import contributions, erasure, moves, requests
from services.practiceteam.domain import FINAL, Actor, Status, allowed_next, staff
from services.practiceteam.labels import PHRASEBOOK, refusal_feedback
from services.practiceteam.models import SupportRequest
from services.practiceteam.schemas import (
    AssignmentIn,
    ErasureIn,
    MessageIn,
    NoteIn,
    QueueQuery,
    SignalIn,
    TransitionIn,
)
from services.practiceteam.uploads import document_store, keep_upload
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, form_step, load_form
from shared.web.service import now, service_context, transact
from shared.web.uploads import chosen_file, takes_uploads


def _me() -> Actor:
    principal = session_principal()
    assert principal is not None  # page_for let only staff through
    return staff(principal.subject)


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
    found = transact(requests.queue, now(), **chosen)
    page = render_template(
        "practiceteam/staff/queue.html",
        found=found,
        chosen=chosen,
        values=request.args,
        feedback=feedback,
        last_page=max(1, -(-found.total // found.per_page)),
    )
    return page, feedback.status


def _request_page(request_id: UUID, feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    found = transact(requests.get_request, str(request_id))
    return render_template(
        "practiceteam/staff/request.html",
        request=found,
        moves=[Status(move) for move in allowed_next(Status(found.status))],
        erasable=found.erased_at is None and Status(found.status) in FINAL,
        retention_days=service_context().settings.practiceteam_retention_days,
        feedback=feedback,
        values=request.form if request.method == "POST" else MultiDict(),
    ), feedback.status


@page_for("staff")
def staff_request(request_id: UUID) -> tuple[str, int]:
    return _request_page(request_id)


def _on_request_page(request_id: UUID, act: Callable[[], object], done: str) -> ResponseReturnValue:
    """One thing a staff member does on a request's page, then back to that page; a
    refusal shows the page again with what to fix."""
    return form_step(
        act,
        refused=lambda feedback: _request_page(request_id, feedback),
        feedback=refusal_feedback,
        then=url_for(".staff_request", request_id=request_id),
        told=done,
    )


@page_for("staff")
def move(request_id: UUID) -> ResponseReturnValue:
    """The version the page showed goes along: a request that moved meanwhile is refused."""
    return _on_request_page(
        request_id,
        lambda: transact(
            moves.transition,
            service_context().recorder,
            str(request_id),
            by=_me(),
            **load_form(TransitionIn()),
        ),
        "De status is gewijzigd; de gemeente krijgt bericht.",
    )


@page_for("staff")
def ask(request_id: UUID) -> ResponseReturnValue:
    return _on_request_page(
        request_id,
        lambda: transact(
            contributions.add_message, str(request_id), _me(), **load_form(MessageIn())
        ),
        "De vraag is gesteld; de gemeente krijgt hem per e-mail.",
    )


@page_for("staff")
def note(request_id: UUID) -> ResponseReturnValue:
    return _on_request_page(
        request_id,
        lambda: transact(contributions.add_note, str(request_id), _me(), **load_form(NoteIn())),
        "De interne notitie is opgeslagen.",
    )


@page_for("staff")
def assign(request_id: UUID) -> ResponseReturnValue:
    return _on_request_page(
        request_id,
        lambda: transact(contributions.assign, str(request_id), _me(), **load_form(AssignmentIn())),
        "Het teamlid is toegewezen.",
    )


@page_for("staff")
def unassign(request_id: UUID, assignment_id: UUID) -> ResponseReturnValue:
    return _on_request_page(
        request_id,
        lambda: transact(contributions.unassign, str(request_id), str(assignment_id)),
        "Het teamlid is van de aanvraag gehaald.",
    )


@page_for("staff")
def signal(request_id: UUID) -> ResponseReturnValue:
    return _on_request_page(
        request_id,
        lambda: transact(
            contributions.record_signal, str(request_id), _me(), **load_form(SignalIn())
        ),
        "Het signaal is vastgelegd.",
    )


@page_for("staff")
@takes_uploads(1)
def staff_attachment(request_id: UUID) -> ResponseReturnValue:
    return _on_request_page(
        request_id,
        lambda: keep_upload(str(request_id), _me(), chosen_file()),
        "Het document is toegevoegd aan de aanvraag.",
    )


def _erased(request_id: UUID) -> SupportRequest:
    load_form(ErasureIn())  # the tick that says what is erased
    return transact(erasure.erase, document_store(), str(request_id), now())


@page_for("staff")
def erase(request_id: UUID) -> ResponseReturnValue:
    """A final request's personal data now, rather than when its retention period ends."""
    return _on_request_page(
        request_id,
        lambda: _erased(request_id),
        "De persoonsgegevens van deze aanvraag zijn gewist.",
    )


@page_for("staff")
def capacity() -> str:
    loads = transact(requests.capacity)
    months = sorted({month for load in loads for month in load.months})
    return render_template("practiceteam/staff/capacity.html", loads=loads, months=months)
