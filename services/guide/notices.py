"""The one mail this service sends: a new edition of a guide someone downloaded, to the
address they left for it, composed when it is sent."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from services.guide import MANIFEST
from services.guide.domain import NEW_EDITION
from services.guide.links import guide_url
from services.guide.models import Download, Guide, MailQueue
from shared.db import Database
from shared.mail import compose
from shared.mail_queue import Composer, MailWorker
from shared.settings import Settings


def composers(settings: Settings) -> dict[str, Composer]:
    def new_edition(session: Session, download_id: str) -> EmailMessage | None:
        download = session.get(Download, download_id)
        guide = session.get(Guide, download.guide_id) if download else None
        if download is None or guide is None or not download.email or guide.newest is None:
            return None  # the address is gone: nobody to tell
        edition = guide.newest
        notes = f"\n\nWat er nieuw is:\n{edition.notes}" if edition.notes else ""
        text = (
            "Geachte heer, mevrouw,\n\n"
            f"U downloadde de handreiking «{guide.title}». Er is een nieuwe editie "
            f"verschenen: editie {edition.number} van {edition.published_on:%d-%m-%Y}."
            f"{notes}\n\nU vindt haar op {guide_url(settings, guide.slug)}\n\n"
            "Wij stuurden u dit bericht omdat u bij het downloaden uw e-mailadres gaf. Wij "
            "sturen het één keer; daarna wissen wij uw e-mailadres.\n\n"
            "Met vriendelijke groet,\n"
            "Het ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
        )
        return compose(settings, download.email, f"Nieuwe editie: {guide.title}", text)

    return {NEW_EDITION: new_edition}


def mail_worker(settings: Settings, db: Database | None = None) -> MailWorker:
    return MailWorker.for_service(settings, MANIFEST.name, MailQueue, composers(settings), db)
