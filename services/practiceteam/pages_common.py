"""The praktijkteam pages' one blueprint and what its pages share: their labels, the Dutch
feedback on a refused form, and attaching a document. The routes are in
``pages_municipality`` and ``pages_staff``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from marshmallow import ValidationError

from services.practiceteam import contributions
from services.practiceteam.documents import DocumentStore
from services.practiceteam.domain import Actor
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
from services.practiceteam.uploads import FORM_FILES, read_upload, room_for_attachments
from shared.problems import Invalid, Problem
from shared.web.forms import Feedback, dutch_error_pages
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


def refusal_feedback(error: ValidationError | Problem) -> Feedback:
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


def attach_upload(request_id: str, by: Actor) -> None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("No file was chosen.", errors={"file": ["Missing data for required field."]})
    context = service_context()
    store = DocumentStore.from_settings(context.settings)
    with context.db.transaction() as session:
        contributions.add_attachment(
            session, store, request_id, by, upload.filename, read_upload(upload, store)
        )
