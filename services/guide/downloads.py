"""A download: an official names their municipality and gets the file; the event says which
municipality downloaded which guide and edition, never who did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from services.guide.domain import Choice, why_not_downloadable
from services.guide.guides import get_guide
from services.guide.models import Download, Edition, Guide, StoredFile, ToolboxItem
from shared.clock import AMSTERDAM
from shared.documents import DocumentStore
from shared.events.catalogue import GUIDE_DOWNLOADED
from shared.events.outbox import EventRecorder
from shared.problems import Conflict, NotFound


@dataclass(frozen=True)
class Served:
    """The download kept, and the file that goes out with it."""

    download: Download
    file: StoredFile


def download(
    session: Session,
    recorder: EventRecorder,
    store: DocumentStore,
    guide_id: str,
    choice: Choice,
    downloader: dict[str, Any],
    now: datetime,
) -> Served:
    """Keep the download (``downloader``: municipality code, role and e-mail address, the
    last two optional) and its event, in the one transaction; a guide not yet out (409),
    or a document it does not have (404), keeps nothing."""
    guide = get_guide(session, guide_id)
    reason = why_not_downloadable(guide.available_from, now.astimezone(AMSTERDAM).date())
    if reason:
        raise Conflict(reason, available_from=guide.available_from.isoformat())
    file = _chosen(guide, choice)
    edition = file if isinstance(file, Edition) else None
    item = file if isinstance(file, ToolboxItem) else None
    if not store.path(file.id).is_file():
        raise NotFound(f"The file of {guide.title!r} is not available; please try again later.")
    row = Download(
        guide_id=guide.id,
        edition_id=edition.id if edition else None,
        toolbox_item_id=item.id if item else None,
        downloaded_at=now,
        **downloader,
    )
    session.add(row)
    session.flush()
    recorder.record(
        session,
        GUIDE_DOWNLOADED,
        subject=f"guide/{guide.id}",
        data={
            "download_id": row.id,
            "municipality_code": row.municipality_code,
            "guide_id": guide.id,
            "guide_slug": guide.slug,
            "edition": edition.number if edition else None,
            "toolbox_item_id": item.id if item else None,
            "counts_for_awareness": guide.counts_for_awareness,
        },
    )
    return Served(row, file)


def _chosen(guide: Guide, choice: Choice) -> Edition | ToolboxItem:
    """The edition (the newest unless one is named) or the toolbox item, of this guide only."""
    if choice.toolbox_item_id is not None:
        item = next((item for item in guide.toolbox if item.id == choice.toolbox_item_id), None)
        if item is None:
            raise NotFound(f"{guide.title!r} has no toolbox item {choice.toolbox_item_id}.")
        return item
    if choice.edition is None:
        if guide.newest is None:
            raise NotFound(f"{guide.title!r} has no edition yet.")
        return guide.newest
    edition = next((found for found in guide.editions if found.number == choice.edition), None)
    if edition is None:
        raise NotFound(f"{guide.title!r} has no edition {choice.edition}.")
    return edition
