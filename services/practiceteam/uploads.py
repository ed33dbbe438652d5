"""Attachments over HTTP, for the API and the pages alike: where they are kept, how large a
body may be, how a posted document is kept, and how a stored document goes back out."""

from __future__ import annotations

from flask import Response
from werkzeug.datastructures import FileStorage

from services.practiceteam import contributions
from services.practiceteam.domain import Actor
from services.practiceteam.models import Attachment
from shared.documents import DocumentStore
from shared.web.service import service_context, transact
from shared.web.uploads import read_upload, room_for_uploads, send_document

# How many documents the request form takes at once.
FORM_FILES = 3


def document_store() -> DocumentStore:
    return DocumentStore.from_settings(service_context().settings)


# Room for as many attachments as a view takes (GIA_ATTACHMENT_MAX_BYTES each).
room_for_attachments = room_for_uploads(document_store)


def keep_upload(request_id: str, by: Actor, upload: FileStorage) -> Attachment:
    """A posted document kept with the request, read before the transaction starts."""
    store = document_store()
    content = read_upload(upload, store)
    return transact(contributions.add_attachment, store, request_id, by, upload.filename, content)


def download(found: Attachment) -> Response:
    """The document under the name it came with."""
    return send_document(document_store().path(found.id), found.media_type, found.filename)
