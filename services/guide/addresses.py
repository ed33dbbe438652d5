"""How long a downloader's e-mail address is kept: until the one notice it was left for has
gone, and never longer than the retention period after the download."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from services.guide import MANIFEST
from services.guide.domain import RETENTION_DAYS
from services.guide.models import Download, MailQueue
from shared.mail_queue import MAX_ATTEMPTS, forget_mail
from shared.settings import Settings


def retention_days(settings: Settings) -> int:
    """``GIA_GUIDE_RETENTION_DAYS``, default 365."""
    return int(settings.per_service(MANIFEST.name, "RETENTION_DAYS") or RETENTION_DAYS)


def erase_addresses(session: Session, now: datetime, days: int) -> int:
    """Erase the addresses whose notice went (or was given up on), and those older than
    ``days``; mail not yet sent to an erased address goes with it. Returns how many."""
    waiting = select(MailQueue.about).where(
        MailQueue.sent_at.is_(None), MailQueue.attempts < MAX_ATTEMPTS
    )
    due = session.scalars(
        select(Download)
        .where(
            Download.email.is_not(None),
            or_(
                Download.downloaded_at < now - timedelta(days=days),
                and_(Download.noticed_at.is_not(None), not_(Download.id.in_(waiting))),
            ),
        )
        .with_for_update(skip_locked=True)
    ).all()
    for download in due:
        download.email = None
    forget_mail(session, MailQueue, [download.id for download in due])
    return len(due)
