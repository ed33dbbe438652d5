"""Attachments over HTTP, for the API and the pages alike: how large a body may be, how a
posted document is kept, and how a stored document goes back out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request, send_file
from werkzeug.datastructures import FileStorage

from services.practiceteam import contributions
from services.practiceteam.documents import DocumentStore
from services.practiceteam.domain import Actor
from services.practiceteam.models import Attachment
from shared.problems import Invalid
from shared.web.service import service_context, transact

# The multipart framing, the file names and the form's other fields around the documents.
UPLOAD_OVERHEAD = 64 * 1024
# How many documents the request form takes at once.
FORM_FILES = 3
# How many attachments a view's body may hold, on the view (see ``takes_attachments``).
ATTACHMENTS_TAKEN = "attachments_taken"


def takes_attachments(count: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Marks a view whose body may be as large as ``count`` attachments, plus framing;
    ``room_for_attachments`` gives it that room, and refuses (413) anything larger unread."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        setattr(view, ATTACHMENTS_TAKEN, count)
        return view

    return decorate


def room_for_attachments(endpoint: str | None, _: dict[str, Any] | None) -> None:
    """Sets the body limit of a view marked by ``takes_attachments`` before anything reads
    the body: the form check (CSRF) reads a posted form before the view itself runs, and
    would otherwise refuse every document larger than an ordinary form may be."""
    count = getattr(current_app.view_functions.get(endpoint or ""), ATTACHMENTS_TAKEN, 0)
    if count:
        limit = service_context().settings.attachment_max_bytes
        request.max_content_length = count * limit + UPLOAD_OVERHEAD


def document_store() -> DocumentStore:
    return DocumentStore.from_settings(service_context().settings)


def read_upload(upload: FileStorage, store: DocumentStore) -> bytes:
    """At most one byte more than may be stored: enough to know that it is too large."""
    return upload.read(store.max_bytes + 1)


def chosen_file() -> FileStorage:
    """The document a page's form posted; refused beside the file field when none was chosen."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("No file was chosen.", errors={"file": ["Missing data for required field."]})
    return upload


def keep_upload(request_id: str, by: Actor, upload: FileStorage) -> Attachment:
    """A posted document kept with the request, read before the transaction starts."""
    store = document_store()
    content = read_upload(upload, store)
    return transact(contributions.add_attachment, store, request_id, by, upload.filename, content)


def download(found: Attachment) -> Response:
    """The document under the name it came with; browsers must not guess another type."""
    response = send_file(
        document_store().path(found.id),
        mimetype=found.media_type,
        as_attachment=True,
        download_name=found.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
