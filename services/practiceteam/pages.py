"""The praktijkteam's Dutch pages: the request form, the municipality's tracking page, and
the ministry's queue, request pages and capacity view.

Views stay thin: forms go through the API's marshmallow schemas, changes through
the use cases in service.py, which also write the events and queue the mails.
The municipality has no account: the signed token of its tracking link lets it in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from marshmallow import Schema, ValidationError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from services.practiceteam import service
from services.practiceteam.access import opens, tracking_links
from services.practiceteam.documents import DocumentStore
from services.practiceteam.domain import (
    FINAL,
    MUNICIPALITY,
    NEXT,
    Actor,
    Status,
    allowed_next,
    staff,
)
from services.practiceteam.forms import (
    AGE_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    MOVE_LABELS,
    PARTY_LABELS,
    PHRASEBOOK,
    ROLE_LABELS,
    SCORE_LABELS,
    SORT_LABELS,
)
from services.practiceteam.mails import STATUS_LABELS, STEP_LABELS
from services.practiceteam.schemas import (
    AssignmentIn,
    ErasureIn,
    EvaluationIn,
    MessageIn,
    NoteIn,
    QueueQuery,
    RequestIn,
    SignalIn,
    TransitionIn,
    WithdrawIn,
)
from services.practiceteam.uploads import (
    FORM_FILES,
    download,
    read_upload,
    room_for_attachments,
    takes_attachments,
)
from shared.problems import Forbidden, Invalid, Problem
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, dutch_error_pages, load_form
from shared.web.service import service_context

pages = Blueprint("practiceteam_pages", __name__, template_folder="templates")
dutch_error_pages(pages, PHRASEBOOK)
pages.url_value_preprocessor(room_for_attachments)
# Rows of date inputs on the planning form.
DATE_ROWS = 5


@pages.context_processor
def _page_context() -> dict[str, Any]:
    """The praktijkteam pages' own labels and helpers, beside the shared page context."""
    return {
        "STATUSES": STATUS_LABELS,
        "MOVES": MOVE_LABELS,
        "STEPS": STEP_LABELS,
        "PARTIES": PARTY_LABELS,
        "KINDS": KIND_LABELS,
        "TEAM_ROLES": ROLE_LABELS,
        "SORTS": SORT_LABELS,
        "AGES": AGE_LABELS,
        "SCORES": SCORE_LABELS,
        "FIELDS": FIELD_LABELS,
        "FORM_FILES": FORM_FILES,
        "DATE_ROWS": DATE_ROWS,
        "municipality_name": _municipality_name,
    }


def _municipality_name(code: str) -> str:
    found = service_context().register.get(code)
    return found.name if found else code


# -- asking for a praktijkteam ------------------------------------------------------------


def _new_page(feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    return render_template("practiceteam/new.html", feedback=feedback), feedback.status


@pages.get("/")
@pages.get("/aanvragen")
def new_request() -> tuple[str, int]:
    return _new_page()


@pages.post("/aanvragen")
@takes_attachments(FORM_FILES)
def submit() -> Any:
    """The request and its documents together: a document that is refused refuses the
    request too, so nothing is left half-sent."""
    context = service_context()
    store = DocumentStore.from_settings(context.settings)
    uploads = [upload for upload in request.files.getlist("file") if upload.filename][:FORM_FILES]
    try:
        data = load_form(RequestIn())
        with context.db.transaction() as session:
            found = service.submit(session, context.recorder, context.register, data)
            for upload in uploads:
                content = read_upload(upload, store)
                service.add_attachment(
                    session, store, found.id, MUNICIPALITY, upload.filename or "", content
                )
            expected = found.next_step
    except (ValidationError, Problem) as error:
        return _new_page(_feedback(error))
    flash(
        "Uw aanvraag is ontvangen. U krijgt een e-mail met de link naar deze pagina; "
        "bewaar die goed."
    )
    if expected:
        flash(f"Wij nemen uiterlijk {expected['expected_on']:%d-%m-%Y} contact op voor de intake.")
    return redirect(_tracking_url(found.id))


def _feedback(error: ValidationError | Problem) -> Feedback:
    """What a refused form says in Dutch. A refused document is shown beside the file
    field, where it can be chosen again; a refused move names the moves still possible,
    as the API's 409 lists them."""
    feedback = PHRASEBOOK.feedback(error)
    if feedback.message and feedback.status in (413, 415):
        return Feedback(feedback.status, {"file": feedback.message})
    if feedback.message and isinstance(error, Problem) and "allowed" in error.extra:
        allowed = [STATUS_LABELS[status] for status in error.extra["allowed"]]
        after = (
            f"Mogelijke volgende status: {', '.join(allowed)}."
            if allowed
            else f"De aanvraag is {STATUS_LABELS[error.extra['current_status']]}; "
            "er is geen volgende stap meer."
        )
        return Feedback(feedback.status, feedback.errors, f"{feedback.message} {after}")
    return feedback


@pages.get("/signalen")
def signals() -> str:
    """What the ministry learned from requests and shares with every municipality."""
    with service_context().db.transaction() as session:
        found = service.shared_signals(session)
    return render_template("practiceteam/signals.html", signals=found)


# -- the municipality's tracking page ------------------------------------------------------


def _tracking_url(request_id: str) -> str:
    return tracking_links(service_context().settings, request_id)["tracking"]


def _token() -> str | None:
    return request.form.get("token") or request.args.get("token")


def _through_link(request_id: UUID) -> str:
    """The token of the request's own link; any other token opens nothing."""
    token = _token()
    if not opens(service_context().settings, str(request_id), token):
        raise Forbidden("This link does not open this request.")
    return token or ""


def _tracking_page(request_id: UUID, feedback: Feedback | None = None) -> tuple[str, int]:
    token = _through_link(request_id)
    feedback = feedback or Feedback()
    with service_context().db.transaction() as session:
        found = service.get_request(session, str(request_id))
        return render_template(
            "practiceteam/tracking.html",
            request=found,
            token=token,
            may_withdraw=Status.WITHDRAWN in NEXT[Status(found.status)],
            feedback=feedback,
        ), feedback.status


@pages.get("/aanvraag/<uuid:request_id>")
def tracking(request_id: UUID) -> tuple[str, int]:
    return _tracking_page(request_id)


def _by_municipality(
    request_id: UUID, schema: Schema, act: Callable[[Session, dict[str, Any]], object], done: str
) -> Any:
    """One thing the municipality does on its page, then back to the page."""
    _through_link(request_id)
    context = service_context()
    try:
        data = load_form(schema)
        with context.db.transaction() as session:
            act(session, data)
    except (ValidationError, Problem) as error:
        return _tracking_page(request_id, _feedback(error))
    flash(done)
    return redirect(_tracking_url(str(request_id)))


@pages.post("/aanvraag/<uuid:request_id>/bericht")
def add_message(request_id: UUID) -> Any:
    return _by_municipality(
        request_id,
        MessageIn(),
        lambda session, data: service.add_message(session, str(request_id), MUNICIPALITY, **data),
        "Uw bericht is toegevoegd aan de aanvraag.",
    )


@pages.post("/aanvraag/<uuid:request_id>/intrekken")
def withdraw(request_id: UUID) -> Any:
    context = service_context()
    return _by_municipality(
        request_id,
        WithdrawIn(),
        lambda session, data: service.withdraw(
            session, context.recorder, str(request_id), MUNICIPALITY, **data
        ),
        "Uw aanvraag is ingetrokken.",
    )


@pages.post("/aanvraag/<uuid:request_id>/evaluatie")
def evaluate(request_id: UUID) -> Any:
    context = service_context()
    return _by_municipality(
        request_id,
        EvaluationIn(),
        lambda session, data: service.evaluate(
            session, context.recorder, str(request_id), MUNICIPALITY, **data
        ),
        "Dank u wel voor uw evaluatie. De aanvraag is nu gesloten.",
    )


@pages.post("/aanvraag/<uuid:request_id>/bijlage")
@takes_attachments(1)
def add_attachment(request_id: UUID) -> Any:
    _through_link(request_id)
    try:
        _attach(str(request_id), MUNICIPALITY)
    except Problem as error:
        return _tracking_page(request_id, _feedback(error))
    flash("Het document is toegevoegd aan de aanvraag.")
    return redirect(_tracking_url(str(request_id)))


def _attach(request_id: str, by: Actor) -> None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("No file was chosen.", errors={"file": ["Missing data for required field."]})
    context = service_context()
    store = DocumentStore.from_settings(context.settings)
    with context.db.transaction() as session:
        service.add_attachment(
            session, store, request_id, by, upload.filename, read_upload(upload, store)
        )


@pages.get("/aanvraag/<uuid:request_id>/bijlagen/<uuid:attachment_id>")
def attachment(request_id: UUID, attachment_id: UUID) -> Response:
    """For the municipality through its link, and for staff logged in."""
    principal = session_principal()
    if principal is None or principal.role != "staff":
        _through_link(request_id)
    with service_context().db.transaction() as session:
        return download(service.get_attachment(session, str(request_id), str(attachment_id)))


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
        found = service.queue(session, datetime.now(UTC), **chosen)
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
        found = service.get_request(session, request_id)
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
        return _request_page(str(request_id), _feedback(error))
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
        lambda session, data: service.transition(
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
        lambda session, data: service.add_message(session, str(request_id), _me(), **data),
        "De vraag is gesteld; de gemeente krijgt hem per e-mail.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/notitie")
@page_for("staff")
def note(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        NoteIn(),
        lambda session, data: service.add_note(session, str(request_id), _me(), data["body"]),
        "De interne notitie is opgeslagen.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/team")
@page_for("staff")
def assign(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        AssignmentIn(),
        lambda session, data: service.assign(session, str(request_id), _me(), **data),
        "Het teamlid is toegewezen.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/team/<uuid:assignment_id>/verwijderen")
@page_for("staff")
def unassign(request_id: UUID, assignment_id: UUID) -> Any:
    return _by_staff(
        request_id,
        None,
        lambda session, _: service.unassign(session, str(request_id), str(assignment_id)),
        "Het teamlid is van de aanvraag gehaald.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/signaal")
@page_for("staff")
def signal(request_id: UUID) -> Any:
    return _by_staff(
        request_id,
        SignalIn(),
        lambda session, data: service.record_signal(session, str(request_id), _me(), **data),
        "Het signaal is vastgelegd.",
    )


@pages.post("/beheer/aanvragen/<uuid:request_id>/bijlage")
@page_for("staff")
@takes_attachments(1)
def staff_attachment(request_id: UUID) -> Any:
    try:
        _attach(str(request_id), _me())
    except Problem as error:
        return _request_page(str(request_id), _feedback(error))
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
        lambda session, _: service.erase(session, store, str(request_id), datetime.now(UTC)),
        "De persoonsgegevens van deze aanvraag zijn gewist.",
    )


@pages.get("/beheer/capaciteit")
@page_for("staff")
def capacity() -> str:
    with service_context().db.transaction() as session:
        loads = service.capacity(session)
    months = sorted({month for load in loads for month in load.months})
    return render_template("practiceteam/staff/capacity.html", loads=loads, months=months)
