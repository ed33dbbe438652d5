"""Where the guides' files are kept and how large one may be, and their way in and out over
HTTP for the API and the pages alike."""

from __future__ import annotations

from pathlib import Path

from flask import Response
from werkzeug.datastructures import FileStorage

from services.guide import MANIFEST
from services.guide.domain import MAX_BYTES
from services.guide.models import StoredFile
from shared.documents import DocumentStore
from shared.settings import Settings
from shared.web.service import service_context
from shared.web.uploads import read_upload, room_for_uploads, send_document


def guide_store(settings: Settings) -> DocumentStore:
    """``GIA_GUIDE_FILES_DIR`` (default ``GIA_VAR_DIR/guides``), files of at most
    ``GIA_GUIDE_MAX_BYTES`` (default 25 MB)."""
    directory = settings.per_service(MANIFEST.name, "FILES_DIR")
    limit = settings.per_service(MANIFEST.name, "MAX_BYTES")
    return DocumentStore(
        Path(directory).resolve() if directory else settings.var_dir / "guides",
        int(limit) if limit else MAX_BYTES,
        settings,
    )


def store() -> DocumentStore:
    return guide_store(service_context().settings)


# Room for one guide file in the bodies of the views that take one.
room_for_files = room_for_uploads(store)


def read_file(upload: FileStorage) -> tuple[str, bytes]:
    """The posted file's name and content, read before any transaction starts."""
    return upload.filename or "", read_upload(upload, store())


def send(found: StoredFile) -> Response:
    """A guide's file under the name it is offered under."""
    return send_document(store().path(found.id), found.media_type, found.filename)
