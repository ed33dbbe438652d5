"""Publishing: guides, their editions and their toolbox items, and finding them again.

A file is judged by its content before anything is written; it is written after its
row, and removed again if the transaction rolls back, so neither is left without the
other.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.guide.domain import NEW_EDITION, slug_for
from services.guide.models import Download, Edition, Guide, MailQueue, StoredFile, ToolboxItem
from shared.documents import DocumentStore, display_name
from shared.mail_queue import queue_mail
from shared.problems import Conflict, Invalid, NotFound


def publish_guide(session: Session, data: dict[str, Any], by: str) -> Guide:
    """A new guide, announced from its ``available_from``; its slug is taken once."""
    slug = data.pop("slug", None) or slug_for(data["title"])
    if not slug:
        raise Invalid(
            "The title gives no address; give a slug.",
            errors={"slug": ["Give a slug: lower-case letters, digits and hyphens."]},
        )
    guide = Guide(slug=slug, created_by=by, editions=[], toolbox=[], **data)
    session.add(guide)
    try:
        session.flush()
    except IntegrityError as error:  # the unique slug: the database decides, also under races
        raise Conflict(
            f"There is a guide at {slug!r} already.",
            errors={"slug": [f"There is a guide at {slug!r} already; choose another slug."]},
        ) from error
    return guide


def list_guides(session: Session) -> list[Guide]:
    return list(session.scalars(select(Guide).order_by(Guide.available_from, Guide.title)))


def get_guide(session: Session, guide_id: str, lock: bool = False) -> Guide:
    query = select(Guide).where(Guide.id == guide_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"There is no guide {guide_id}.")
    return found


def guide_at(session: Session, slug: str) -> Guide:
    found = session.scalar(select(Guide).where(Guide.slug == slug))
    if found is None:
        raise NotFound(f"There is no guide at {slug!r}.")
    return found


def stored_file(session: Session, file_id: str) -> StoredFile:
    """An edition or a toolbox item, by the id its file is kept under."""
    found: StoredFile | None = session.get(Edition, file_id) or session.get(ToolboxItem, file_id)
    if found is None:
        raise NotFound(f"There is no guide file {file_id}.")
    return found


def add_edition(
    session: Session,
    store: DocumentStore,
    guide_id: str,
    data: dict[str, Any],
    filename: str,
    content: bytes,
    by: str,
    now: datetime,
) -> Edition:
    """The guide's next edition (numbered from 1). Everyone who downloaded the guide and
    left an e-mail address is told once, by mail."""
    media_type = store.check(content)
    guide = get_guide(session, guide_id, lock=True)  # numbers are handed out one at a time
    newest = select(func.max(Edition.number)).where(Edition.guide_id == guide.id)
    edition = Edition(
        guide_id=guide.id, number=(session.scalar(newest) or 0) + 1, created_by=by, **data
    )
    _keep(session, store, edition, filename, content, media_type)
    _queue_notices(session, guide.id, now)
    return edition


def add_toolbox_item(
    session: Session,
    store: DocumentStore,
    guide_id: str,
    data: dict[str, Any],
    filename: str,
    content: bytes,
    by: str,
) -> ToolboxItem:
    """One more practical example or tip in the guide's toolbox."""
    media_type = store.check(content)
    guide = get_guide(session, guide_id)
    item = ToolboxItem(guide_id=guide.id, created_by=by, **data)
    _keep(session, store, item, filename, content, media_type)
    return item


def _keep(
    session: Session,
    store: DocumentStore,
    row: StoredFile,
    filename: str,
    content: bytes,
    media_type: str,
) -> None:
    row.filename = display_name(filename, media_type)
    row.media_type = media_type
    row.size = len(content)
    row.sha256 = hashlib.sha256(content).hexdigest()
    session.add(row)
    session.flush()
    store.save(row.id, content)
    event.listen(session, "after_rollback", lambda _: store.remove(row.id), once=True)


def _queue_notices(session: Session, guide_id: str, now: datetime) -> None:
    """One notice per address, about its latest download of the guide; every download with
    that address is then noticed, so the address can go once the notice went."""
    waiting = session.execute(
        select(Download.id, Download.email)
        .where(
            Download.guide_id == guide_id,
            Download.email.is_not(None),
            Download.noticed_at.is_(None),
        )
        .order_by(Download.downloaded_at.desc())
    ).all()
    latest: dict[str, str] = {}
    for download_id, email in waiting:
        latest.setdefault((email or "").lower(), download_id)
    for download_id in latest.values():
        queue_mail(session, MailQueue, NEW_EDITION, download_id)
    if waiting:
        noticed = [download_id for download_id, _ in waiting]
        session.execute(update(Download).where(Download.id.in_(noticed)).values(noticed_at=now))
