"""What each queued survey mail says, composed from its invitation when it is sent."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from services.indicators.invitations import Notice
from services.indicators.mails import survey_mail
from services.indicators.models import MailQueue, SurveyInvitation
from shared.db import Database
from shared.mail_queue import Composer, MailWorker
from shared.municipalities import load_register
from shared.settings import Settings


def composers(settings: Settings) -> dict[str, Composer]:
    register = load_register(settings.municipalities_file)

    def about(notice: Notice) -> Composer:
        def composer(session: Session, invitation_id: str) -> EmailMessage | None:
            row = session.get(SurveyInvitation, invitation_id)
            if row is None or row.email is None:
                return None  # erased: the municipality answered, or the year is over
            municipality = register.get(row.municipality_code)
            return survey_mail(settings, notice, municipality, row.email) if municipality else None

        return composer

    return {notice: about(notice) for notice in Notice}


def mail_worker(settings: Settings, db: Database | None = None) -> MailWorker:
    return MailWorker.for_service(settings, "indicators", MailQueue, composers(settings), db)
