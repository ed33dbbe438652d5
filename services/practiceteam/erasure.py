"""Erasing a final praktijkteam request's personal data: by staff now, or by the
retention run once its retention period is over. The request itself stays.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.practiceteam.domain import ERASED, FINAL, Party, Status, erasure_due, why_not_erasable
from services.practiceteam.models import MailQueue, SupportRequest
from services.practiceteam.requests import get_request
from shared.db import Database
from shared.documents import DocumentStore
from shared.mail_queue import forget_mail
from shared.problems import Conflict


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
    about = [row.id for row in (*request.history, *request.messages, *request.team)]
    forget_mail(session, MailQueue, about)
    request.erased_at = now
    session.flush()

    def remove_files(_: Session) -> None:
        for document_id in documents:
            store.remove(document_id)

    event.listen(session, "after_commit", remove_files, once=True)
