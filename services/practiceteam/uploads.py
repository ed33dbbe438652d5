"""Attachments over HTTP, for the API and the pages alike: how large a body may be, and
how a stored document goes back out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Response, request, send_file
from werkzeug.datastructures import FileStorage

from services.practiceteam.documents import DocumentStore
from services.practiceteam.models import Attachment
from shared.web.service import service_context

# The multipart framing, the file names and the form's other fields around the documents.
UPLOAD_OVERHEAD = 64 * 1024
# How many documents the request form takes at once.
FORM_FILES = 3


def takes_attachments(count: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Lets an endpoint's body be as large as ``count`` attachments may be, plus framing;
    anything larger is refused (413) before it is read."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            limit = service_context().settings.attachment_max_bytes
            request.max_content_length = count * limit + UPLOAD_OVERHEAD
            return view(*args, **kwargs)

        return limited

    return decorate


def read_upload(upload: FileStorage, store: DocumentStore) -> bytes:
    """At most one byte more than may be stored: enough to know that it is too large."""
    return upload.read(store.max_bytes + 1)


def download(found: Attachment) -> Response:
    """The document under the name it came with; browsers must not guess another type."""
    response = send_file(
        DocumentStore.from_settings(service_context().settings).path(found.id),
        mimetype=found.media_type,
        as_attachment=True,
        download_name=found.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
