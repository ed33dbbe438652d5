"""What each queued notice says, composed from the registration as it is when it is sent."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from services.registration import mails
from services.registration.domain import Notice, Status
from services.registration.models import MailQueue, Registration, SignalRecipient
from services.registration.signals import ANSWER_MAIL
from services.registration.waiting_list import waitlist_position
from shared.db import Database
from shared.mail import Mailer
from shared.mail_queue import Composer, MailWorker
from shared.municipalities import load_register
from shared.settings import Settings


def composers(settings: Settings) -> dict[str, Composer]:
    def reachable(session: Session, registration_id: str, *statuses: Status) -> Registration | None:
        registration = session.get(Registration, registration_id)
        if registration is None or registration.email is None:
            return None  # erased or gone: nobody to tell
        return registration if registration.status in statuses else None

    def received(session: Session, registration_id: str) -> EmailMessage | None:
        r = reachable(session, registration_id, Status.CONFIRMED, Status.WAITLISTED)
        if r is None:
            return None
        position = waitlist_position(session, r)
        return mails.registration_received(settings, r.meeting, r, position)

    def about(tells: mails.Tells, *statuses: Status) -> Composer:
        def composer(session: Session, registration_id: str) -> EmailMessage | None:
            r = reachable(session, registration_id, *statuses)
            return tells.compose(settings, r.meeting, r) if r else None

        return composer

    register = load_register(settings.municipalities_file)

    def signal_answered(session: Session, recipient_id: str) -> EmailMessage | None:
        recipient = session.get(SignalRecipient, recipient_id)
        if recipient is None or recipient.registration.email is None:
            return None  # erased: nobody to tell
        return mails.signal_answered(settings, register, recipient)

    return {
        Notice.RECEIVED: received,
        Notice.PROMOTED: about(mails.PROMOTED, Status.CONFIRMED),
        Notice.MEETING_CHANGED: about(mails.MEETING_CHANGED, Status.CONFIRMED, Status.WAITLISTED),
        Notice.MEETING_CANCELLED: about(
            mails.MEETING_CANCELLED, Status.CONFIRMED, Status.WAITLISTED
        ),
        Notice.REMINDER: about(mails.REMINDER, Status.CONFIRMED),
        Notice.CANCELLED: about(mails.REGISTRATION_CANCELLED, Status.CANCELLED),
        Notice.LINK_AGAIN: about(mails.LINK_AGAIN, Status.CONFIRMED, Status.WAITLISTED),
        ANSWER_MAIL: signal_answered,
    }


def mail_worker(settings: Settings, db: Database | None = None) -> MailWorker:
    return MailWorker(
        db or Database.for_service(settings, "registration"),
        MailQueue,
        composers(settings),
        Mailer(settings),
    )
