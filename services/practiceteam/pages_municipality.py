"""The municipality's pages: the request form, and the tracking page with its messages,
withdrawal, evaluation and documents. The municipality has no account: the signed token
of its tracking link lets it in.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue

from services.practiceteam import contributions, moves, requests
from services.practiceteam.access import opens, tracking_links
from services.practiceteam.domain import MUNICIPALITY, NEXT, Status
from services.practiceteam.labels import refusal_feedback
from services.practiceteam.models import SupportRequest
from services.practiceteam.schemas import EvaluationIn, MessageIn, RequestIn, WithdrawIn
from services.practiceteam.uploads import FORM_FILES, document_store, download, keep_upload
from shared.problems import Forbidden
from shared.web.auth import session_principal
from shared.web.forms import Feedback, form_step, load_form
from shared.web.mail_limits import mail_limited
from shared.web.service import service_context, transact
from shared.web.uploads import chosen_file, read_upload, takes_uploads

# -- asking for a praktijkteam ------------------------------------------------------------


def _new_page(feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    return render_template("practiceteam/new.html", feedback=feedback), feedback.status


def new_request() -> tuple[str, int]:
    return _new_page()


@mail_limited("contact.email")
def _sent() -> SupportRequest:
    """The request with the documents chosen beside it, sent in one transaction; file
    inputs left empty are no documents."""
    data = load_form(RequestIn())
    context = service_context()
    store = document_store()
    uploads = [upload for upload in request.files.getlist("file") if upload.filename][:FORM_FILES]
    documents = [(upload.filename or "", read_upload(upload, store)) for upload in uploads]
    return transact(
        moves.submit_with_documents, context.recorder, context.register, data, store, documents
    )


def _received(found: SupportRequest) -> str:
    """What the form says once the request is in, with the day the intake is due."""
    said = (
        "Uw aanvraag is ontvangen. U krijgt een e-mail met de link naar deze pagina; "
        "bewaar die goed."
    )
    step = found.next_step
    if step:
        said += f" Wij nemen uiterlijk {step.expected_on:%d-%m-%Y} contact op voor de intake."
    return said


@takes_uploads(FORM_FILES)
def submit() -> ResponseReturnValue:
    return form_step(
        _sent,
        refused=_new_page,
        feedback=refusal_feedback,
        then=lambda found: _tracking_url(found.id),
        told=_received,
    )


# -- the municipality's tracking page ------------------------------------------------------


def _tracking_url(request_id: str) -> str:
    return tracking_links(service_context().settings, request_id)["tracking"]


def _through_link(request_id: UUID) -> str:
    """The token of the request's own link; any other token opens nothing."""
    token = request.form.get("token") or request.args.get("token")
    if not opens(service_context().settings, str(request_id), token):
        raise Forbidden("This link does not open this request.")
    return token or ""


def _tracking_page(request_id: UUID, feedback: Feedback | None = None) -> tuple[str, int]:
    token = _through_link(request_id)
    feedback = feedback or Feedback()
    found = transact(requests.get_request, str(request_id))
    return render_template(
        "practiceteam/tracking.html",
        request=found,
        token=token,
        may_withdraw=Status.WITHDRAWN in NEXT[Status(found.status)],
        feedback=feedback,
    ), feedback.status


def tracking(request_id: UUID) -> tuple[str, int]:
    return _tracking_page(request_id)


def _on_tracking_page(
    request_id: UUID, act: Callable[[], object], done: str
) -> ResponseReturnValue:
    """One thing the municipality does on its page through its link, then back to the page;
    a refusal shows the page again with what to fix."""
    _through_link(request_id)
    return form_step(
        act,
        refused=lambda feedback: _tracking_page(request_id, feedback),
        feedback=refusal_feedback,
        then=_tracking_url(str(request_id)),
        told=done,
    )


def add_message(request_id: UUID) -> ResponseReturnValue:
    return _on_tracking_page(
        request_id,
        lambda: transact(
            contributions.add_message, str(request_id), MUNICIPALITY, **load_form(MessageIn())
        ),
        "Uw bericht is toegevoegd aan de aanvraag.",
    )


def withdraw(request_id: UUID) -> ResponseReturnValue:
    return _on_tracking_page(
        request_id,
        lambda: transact(
            moves.withdraw,
            service_context().recorder,
            str(request_id),
            MUNICIPALITY,
            **load_form(WithdrawIn()),
        ),
        "Uw aanvraag is ingetrokken.",
    )


def evaluate(request_id: UUID) -> ResponseReturnValue:
    return _on_tracking_page(
        request_id,
        lambda: transact(
            moves.evaluate,
            service_context().recorder,
            str(request_id),
            MUNICIPALITY,
            **load_form(EvaluationIn()),
        ),
        "Dank u wel voor uw evaluatie. De aanvraag is nu gesloten.",
    )


@takes_uploads(1)
def add_attachment(request_id: UUID) -> ResponseReturnValue:
    return _on_tracking_page(
        request_id,
        lambda: keep_upload(str(request_id), MUNICIPALITY, chosen_file()),
        "Het document is toegevoegd aan de aanvraag.",
    )


def attachment(request_id: UUID, attachment_id: UUID) -> Response:
    """For the municipality through its link, and for staff logged in."""
    principal = session_principal()
    if principal is None or principal.role != "staff":
        _through_link(request_id)
    return download(transact(contributions.get_attachment, str(request_id), str(attachment_id)))
