"""Documents over HTTP, for any service's API and pages alike: room in a body for them
before anything reads it, the file a page's form posted, and a stored one sent back out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Response, current_app, request, send_file
from werkzeug.datastructures import FileStorage

from shared.documents import DocumentStore
from shared.problems import Invalid

# The multipart framing, the file names and the form's other fields around the documents.
UPLOAD_OVERHEAD = 64 * 1024
# How many documents a view's body may hold, on the view (see ``takes_uploads``).
UPLOADS_TAKEN = "uploads_taken"
# Before anything reads the body of a request to this endpoint (with these URL values).
Preprocessor = Callable[[str | None, dict[str, Any] | None], None]


def takes_uploads(count: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a view whose body may be as large as ``count`` documents, plus framing;
    ``room_for_uploads`` gives it that room, and refuses (413) anything larger unread."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, UPLOADS_TAKEN, count)
        return view

    return decorate


def room_for_uploads(store: Callable[[], DocumentStore]) -> Preprocessor:
    """A blueprint's URL value preprocessor that sets the body limit of a view marked by
    ``takes_uploads`` (``store`` says how large one document may be) before anything reads
    the body: the form check (CSRF) reads a posted form before the view itself runs, and
    would otherwise refuse every document larger than an ordinary form may be."""

    def make_room(endpoint: str | None, _: dict[str, Any] | None) -> None:
        count = getattr(current_app.view_functions.get(endpoint or ""), UPLOADS_TAKEN, 0)
        if count:
            request.max_content_length = count * store().max_bytes + UPLOAD_OVERHEAD

    return make_room


def read_upload(upload: FileStorage, store: DocumentStore) -> bytes:
    """At most one byte more than may be stored: enough to know that it is too large."""
    return upload.read(store.max_bytes + 1)


def chosen_file() -> FileStorage:
    """The document a page's form posted; refused beside the file field when none was chosen."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("No file was chosen.", errors={"file": ["Missing data for required field."]})
    return upload


def send_document(path: Path, media_type: str, filename: str) -> Response:
    """A stored document as a download under ``filename``; browsers must not guess another
    type."""
    response = send_file(path, mimetype=media_type, as_attachment=True, download_name=filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
