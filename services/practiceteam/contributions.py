"""What is added to a praktijkteam request while it is worked on: messages between the
ministry and the municipality, internal notes, the team, signals and documents.
Each change takes the request's row lock first.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.practiceteam.domain import (
    Actor,
    Notice,
    Party,
    Status,
    message_kind,
    why_closed_for_contributions,
    why_team_change_refused,
)
from services.practiceteam.models import (
    Assignment,
    Attachment,
    MailQueue,
    Message,
    Note,
    Signal,
    SupportRequest,
    new_id,
)
from services.practiceteam.requests import get_request
from shared.clock import utcnow
from shared.documents import DocumentStore, display_name
from shared.mail_queue import queue_mail
from shared.problems import Conflict, Invalid, NotFound


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
    queue_mail(session, MailQueue, Notice.ASSIGNED, member.id)
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


def shared_signals(
    session: Session, *, theme: str | None = None, everything: bool = False
) -> list[Signal]:
    """What the ministry learned, newest first: the shareable signals, or (staff) all."""
    query = select(Signal).order_by(Signal.created_at.desc())
    if not everything:
        query = query.where(Signal.shareable.is_(True))
    return [signal for signal in session.scalars(query) if not theme or theme in signal.themes]


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


def get_attachment(session: Session, request_id: str, attachment_id: str) -> Attachment:
    found = session.get(Attachment, attachment_id)
    if found is None or found.request_id != request_id:
        raise NotFound(f"Request {request_id} has no attachment {attachment_id}.")
    if found.erased_at is not None:
        raise NotFound(f"Attachment {attachment_id} was erased with the request's personal data.")
    return found
