"""What each queued notice says, composed from the request as it is when it is sent."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from services.practiceteam import mails
from services.practiceteam.domain import Notice
from services.practiceteam.models import (
    Assignment,
    MailQueue,
    Message,
    SupportRequest,
    Transition,
)
from shared.db import Database
from shared.mail_queue import Composer, MailWorker
from shared.municipalities import load_register
from shared.settings import Settings


def composers(settings: Settings) -> dict[str, Composer]:
    register = load_register(settings.municipalities_file)

    def about(
        model: type[Transition] | type[Message] | type[Assignment], compose: mails.Compose
    ) -> Composer:
        """A notice about one row (a move, a message, a team member) of a request."""

        def composer(session: Session, row_id: str) -> EmailMessage | None:
            row = session.get(model, row_id)
            request = session.get(SupportRequest, row.request_id) if row else None
            return compose(settings, register, request, row) if request else None

        return composer

    return {
        Notice.STATUS_CHANGED: about(Transition, mails.status_changed),
        Notice.QUESTION: about(Message, mails.question),
        Notice.ASSIGNED: about(Assignment, mails.assigned),
    }


def mail_worker(settings: Settings, db: Database | None = None) -> MailWorker:
    return MailWorker.for_service(settings, "practiceteam", MailQueue, composers(settings), db)
