"""The praktijkteam JSON API under /api/v1: thin views over the use cases.

Staff call with a bearer token; the municipality calls with the token of its
tracking link (``?token=``) and only ever gets its own request, in its own view.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Response, jsonify

from services.practiceteam import contributions, erasure, moves, requests
from services.practiceteam.access import opens
from services.practiceteam.domain import MUNICIPALITY, Actor, Party, staff
from services.practiceteam.models import SupportRequest
from services.practiceteam.schemas import (
    AccessQuery,
    AssignmentIn,
    AttachmentView,
    EvaluationIn,
    MemberLoadOut,
    MessageIn,
    MessageView,
    NoteIn,
    NoteView,
    QueueOut,
    QueueQuery,
    RequestIn,
    RequestView,
    SignalIn,
    SignalQuery,
    SignalView,
    StaffMemberView,
    StaffRequestView,
    StaffSignalView,
    TransitionIn,
    UploadIn,
    WithdrawIn,
)
from services.practiceteam.uploads import (
    document_store,
    download,
    keep_upload,
    room_for_attachments,
)
from shared.problems import Forbidden
from shared.web.auth import (
    bearer_principal,
    granted,
    link_token,
    require_access,
    require_role,
)
from shared.web.mail_limits import REFUSED, mail_limited
from shared.web.service import ApiBlueprint, now, service_context, transact
from shared.web.uploads import takes_uploads

api = ApiBlueprint(
    "practiceteam_api", __name__, url_prefix="/api/v1", description="Praktijkteam requests"
)
api.url_value_preprocessor(room_for_attachments)
STAFF = [{"bearer": []}]
STAFF_OR_LINK = [*STAFF, {}]
AS_THE_CALLER_MAY_SEE = (
    "Staff see all of it; the tracking link shows the municipality's RequestView"
)


def _staff() -> Actor:
    """The staff member calling an endpoint that ``require_role`` already let through."""
    return staff(bearer_principal().subject)


def _caller(request_id: Any, **_: Any) -> Actor:
    """The municipality through its tracking link; anyone else must be staff (401/403)."""
    if opens(service_context().settings, str(request_id), link_token()):
        return MUNICIPALITY
    principal = bearer_principal()
    if principal.role != "staff":
        raise Forbidden("Only staff, or the municipality through its tracking link, may do this.")
    return staff(principal.subject)


def _as_seen_by(found: SupportRequest, by: Actor) -> SupportRequest | Response:
    """The request as the caller may see it: staff get the declared ``StaffRequestView``;
    through the tracking link the municipality gets only its own ``RequestView``, which the
    declared schema cannot narrow to, so it is serialised here."""
    if by.party == Party.MINISTRY:
        return found
    return jsonify(RequestView().dump(found))


def _moved_by_caller(
    request_id: Any, move: Callable[..., SupportRequest]
) -> SupportRequest | Response:
    """A move the municipality makes through its link (staff may make it for them)."""
    by = granted(_caller)
    return _as_seen_by(transact(move, service_context().recorder, str(request_id), by), by)


# -- requests -------------------------------------------------------------------------------


@api.post("/requests")
@mail_limited("contact.email")
@api.arguments(RequestIn)
@api.response(201, RequestView)
@api.alt_response(429, **REFUSED)
def submit(data: dict[str, Any]) -> Any:
    """Ask for a praktijkteam.

    A municipality's request for support; the answer carries the tracking link, which is also
    mailed to the contact person. Open to anyone, limited per address."""
    context = service_context()
    return transact(moves.submit, context.recorder, context.register, data)


@api.get("/requests")
@api.arguments(QueueQuery, location="query")
@api.response(200, QueueOut)
@api.doc(security=STAFF)
@require_role("staff")
def queue(query: dict[str, Any]) -> Any:
    """The queue of requests.

    Target-group municipalities first, then the longest waiting (`sort`), optionally of one
    status. Staff only (bearer token)."""
    return transact(requests.queue, now(), **query)


@api.get("/requests/<uuid:request_id>")
@api.arguments(AccessQuery, location="query")
@api.response(200, StaffRequestView, description=AS_THE_CALLER_MAY_SEE)
@api.doc(security=STAFF_OR_LINK)
@require_access(_caller, roles=("staff",))
def get_request(_query: dict[str, Any], request_id: Any) -> Any:
    """One request.

    Staff see all of it; through its tracking link the municipality sees its own request,
    without internal notes."""
    by = granted(_caller)
    return _as_seen_by(transact(requests.get_request, str(request_id)), by)


@api.post("/requests/<uuid:request_id>/transitions")
@api.arguments(TransitionIn)
@api.response(200, StaffRequestView)
@api.alt_response(409, description="Not allowed from the current status; lists `allowed`")
@api.doc(security=STAFF)
@require_role("staff")
def transition(data: dict[str, Any], request_id: Any) -> Any:
    """Move a request on.

    `reason` to decline, `dates` to plan (after assigning a team), `report` and `agreements` to
    complete. Staff only (bearer token)."""
    return transact(
        moves.transition, service_context().recorder, str(request_id), by=_staff(), **data
    )


@api.post("/requests/<uuid:request_id>/withdraw")
@api.arguments(WithdrawIn)
@api.arguments(AccessQuery, location="query")
@api.response(200, StaffRequestView, description=AS_THE_CALLER_MAY_SEE)
@api.alt_response(409, description="The team has started, or the request is final")
@api.doc(security=STAFF_OR_LINK)
@require_access(_caller, roles=("staff",))
def withdraw(data: dict[str, Any], _query: dict[str, Any], request_id: Any) -> Any:
    """Withdraw a request.

    The municipality takes its request back, until the team has started. Through the tracking
    link, or staff for the municipality."""
    return _moved_by_caller(request_id, partial(moves.withdraw, **data))


@api.post("/requests/<uuid:request_id>/evaluation")
@api.arguments(EvaluationIn)
@api.arguments(AccessQuery, location="query")
@api.response(200, StaffRequestView, description=AS_THE_CALLER_MAY_SEE)
@api.alt_response(409, description="The request is not completed")
@api.doc(security=STAFF_OR_LINK)
@require_access(_caller, roles=("staff",))
def evaluate(data: dict[str, Any], _query: dict[str, Any], request_id: Any) -> Any:
    """Evaluate a completed request.

    The municipality's evaluation (1-5 and a comment); it closes the request. Through the
    tracking link, or staff for the municipality."""
    return _moved_by_caller(request_id, partial(moves.evaluate, **data))


# -- working on a request -----------------------------------------------------------------------


@api.post("/requests/<uuid:request_id>/messages")
@api.arguments(MessageIn)
@api.arguments(AccessQuery, location="query")
@api.response(201, MessageView)
@api.doc(security=STAFF_OR_LINK)
@require_access(_caller, roles=("staff",))
def add_message(data: dict[str, Any], _query: dict[str, Any], request_id: Any) -> Any:
    """Add a message.

    Staff ask a question (mailed to the contact person); through the tracking link the
    municipality answers one (`in_reply_to`) or adds information."""
    return transact(contributions.add_message, str(request_id), granted(_caller), **data)


@api.post("/requests/<uuid:request_id>/notes")
@api.arguments(NoteIn)
@api.response(201, NoteView)
@api.doc(security=STAFF)
@require_role("staff")
def add_note(data: dict[str, Any], request_id: Any) -> Any:
    """Add an internal note.

    Never shown to the municipality, never in an event. Staff only (bearer token)."""
    return transact(contributions.add_note, str(request_id), _staff(), data["body"])


@api.post("/requests/<uuid:request_id>/assignments")
@api.arguments(AssignmentIn)
@api.response(201, StaffMemberView)
@api.doc(security=STAFF)
@require_role("staff")
def assign(data: dict[str, Any], request_id: Any) -> Any:
    """Assign a team member.

    A member of the praktijkteam takes part in the request. Staff only (bearer token)."""
    return transact(contributions.assign, str(request_id), _staff(), **data)


@api.delete("/requests/<uuid:request_id>/assignments/<uuid:assignment_id>")
@api.response(204)
@api.doc(security=STAFF)
@require_role("staff")
def unassign(request_id: Any, assignment_id: Any) -> None:
    """Take a team member off.

    Removes an assignment from the request. Staff only (bearer token)."""
    transact(contributions.unassign, str(request_id), str(assignment_id))


@api.post("/requests/<uuid:request_id>/signals")
@api.arguments(SignalIn)
@api.response(201, StaffSignalView)
@api.doc(security=STAFF)
@require_role("staff")
def record_signal(data: dict[str, Any], request_id: Any) -> Any:
    """Record a signal.

    What the ministry learned from the request; `shareable` ones are open to every municipality.
    Staff only (bearer token)."""
    return transact(contributions.record_signal, str(request_id), _staff(), **data)


@api.post("/requests/<uuid:request_id>/attachments")
@takes_uploads(1)
@api.arguments(UploadIn, location="files")
@api.arguments(AccessQuery, location="query")
@api.response(201, AttachmentView)
@api.alt_response(413, description="Larger than the limit (GIA_ATTACHMENT_MAX_BYTES)")
@api.alt_response(415, description="Not a PDF or office document, judged by its content")
@api.doc(security=STAFF_OR_LINK)
@require_access(_caller, roles=("staff",))
def add_attachment(files: dict[str, Any], _query: dict[str, Any], request_id: Any) -> Any:
    """Attach a document.

    A PDF or office document (multipart field `file`), judged by its content. Staff, or the
    municipality through its tracking link."""
    return keep_upload(str(request_id), granted(_caller), files["file"])


@api.get("/requests/<uuid:request_id>/attachments/<uuid:attachment_id>")
@api.arguments(AccessQuery, location="query")
@api.response(200, description="The document, as a download")
@api.doc(security=STAFF_OR_LINK)
@require_access(_caller, roles=("staff",))
def download_attachment(_query: dict[str, Any], request_id: Any, attachment_id: Any) -> Any:
    """Download an attachment.

    The document as it was uploaded. Staff, or the municipality through its tracking link."""
    return download(transact(contributions.get_attachment, str(request_id), str(attachment_id)))


@api.post("/requests/<uuid:request_id>/erasure")
@api.response(200, StaffRequestView)
@api.alt_response(409, description="The request is not closed, declined or withdrawn")
@api.doc(security=STAFF)
@require_role("staff")
def erase(request_id: Any) -> Any:
    """Erase a request's personal data now.

    Instead of after the retention period (`GIA_PRACTICETEAM_RETENTION_DAYS`): the contact
    person, their own texts, the team's e-mail addresses and the documents; municipalities,
    themes, history and score stay. Staff only (bearer token)."""
    return transact(erasure.erase, document_store(), str(request_id), now())


# -- across requests -----------------------------------------------------------------------------


@api.get("/signals")
@api.arguments(SignalQuery, location="query")
@api.response(200, SignalView(many=True))
def shared_signals(query: dict[str, Any]) -> Any:
    """Shared signals.

    What the ministry learned from praktijkteam requests and shares with every municipality.
    Open to anyone."""
    return transact(contributions.shared_signals, **query)


@api.get("/capacity")
@api.response(200, MemberLoadOut(many=True))
@api.doc(security=STAFF)
@require_role("staff")
def capacity() -> Any:
    """The team's load.

    How many requests each team member holds per month. Staff only (bearer token)."""
    return transact(requests.capacity)
