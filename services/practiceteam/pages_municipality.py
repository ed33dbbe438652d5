"""The municipality's pages: the request form, the shared signals, and the tracking page
with its messages, withdrawal, evaluation and documents. The municipality has no
account: the signed token of its tracking link lets it in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from flask import Response, flash, redirect, render_template, request
from marshmallow import Schema, ValidationError
from sqlalchemy.orm import Session

from services.practiceteam import contributions, moves, requests
from services.practiceteam.access import opens, tracking_links
from services.practiceteam.documents import DocumentStore
from services.practiceteam.domain import MUNICIPALITY, NEXT, Status
from services.practiceteam.pages_common import attach_upload, pages, refusal_feedback
from services.practiceteam.schemas import EvaluationIn, MessageIn, RequestIn, WithdrawIn
from services.practiceteam.uploads import FORM_FILES, download, read_upload, takes_attachments
from shared.problems import Forbidden, Problem
from shared.web.auth import session_principal
from shared.web.forms import Feedback, load_form
from shared.web.service import service_context

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
            found = moves.submit(session, context.recorder, context.register, data)
            for upload in uploads:
                content = read_upload(upload, store)
                contributions.add_attachment(
                    session, store, found.id, MUNICIPALITY, upload.filename or "", content
                )
            expected = found.next_step
    except (ValidationError, Problem) as error:
        return _new_page(refusal_feedback(error))
    flash(
        "Uw aanvraag is ontvangen. U krijgt een e-mail met de link naar deze pagina; "
        "bewaar die goed."
    )
    if expected:
        flash(f"Wij nemen uiterlijk {expected['expected_on']:%d-%m-%Y} contact op voor de intake.")
    return redirect(_tracking_url(found.id))


@pages.get("/signalen")
def signals() -> str:
    """What the ministry learned from requests and shares with every municipality."""
    with service_context().db.transaction() as session:
        found = contributions.shared_signals(session)
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
        found = requests.get_request(session, str(request_id))
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
        return _tracking_page(request_id, refusal_feedback(error))
    flash(done)
    return redirect(_tracking_url(str(request_id)))


@pages.post("/aanvraag/<uuid:request_id>/bericht")
def add_message(request_id: UUID) -> Any:
    return _by_municipality(
        request_id,
        MessageIn(),
        lambda session, data: contributions.add_message(
            session, str(request_id), MUNICIPALITY, **data
        ),
        "Uw bericht is toegevoegd aan de aanvraag.",
    )


@pages.post("/aanvraag/<uuid:request_id>/intrekken")
def withdraw(request_id: UUID) -> Any:
    context = service_context()
    return _by_municipality(
        request_id,
        WithdrawIn(),
        lambda session, data: moves.withdraw(
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
        lambda session, data: moves.evaluate(
            session, context.recorder, str(request_id), MUNICIPALITY, **data
        ),
        "Dank u wel voor uw evaluatie. De aanvraag is nu gesloten.",
    )


@pages.post("/aanvraag/<uuid:request_id>/bijlage")
@takes_attachments(1)
def add_attachment(request_id: UUID) -> Any:
    _through_link(request_id)
    try:
        attach_upload(str(request_id), MUNICIPALITY)
    except Problem as error:
        return _tracking_page(request_id, refusal_feedback(error))
    flash("Het document is toegevoegd aan de aanvraag.")
    return redirect(_tracking_url(str(request_id)))


@pages.get("/aanvraag/<uuid:request_id>/bijlagen/<uuid:attachment_id>")
def attachment(request_id: UUID, attachment_id: UUID) -> Response:
    """For the municipality through its link, and for staff logged in."""
    principal = session_principal()
    if principal is None or principal.role != "staff":
        _through_link(request_id)
    with service_context().db.transaction() as session:
        return download(contributions.get_attachment(session, str(request_id), str(attachment_id)))
