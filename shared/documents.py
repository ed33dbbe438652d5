"""Uploaded documents: what a document is, judged by its content, and where it is kept.

The name a file was uploaded with proves nothing (an executable renamed .pdf
is still an executable), so only PDF and office documents are taken, each
recognised by its own bytes: PDF, Office Open XML and OpenDocument (both ZIP
archives with a known inside) and the older Office formats. Documents with
macros are refused, and so are ZIP archives that would unpack to far more than
anyone reading them can hold (zip bombs), judged by what their central directory
declares without unpacking them. Documents are kept outside anything a web
server serves, under their id, never under the name they came with.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from shared.problems import Invalid, TooLarge, UnsupportedType
from shared.settings import Settings

EXTENSIONS: dict[str, str] = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
}
# Office Open XML: the folder of the main part says which application made it.
OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# The older formats are OLE compound files (as are installers); the name of the
# main stream, stored in UTF-16, says which application made it.
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
OLE_STREAMS = {
    "WordDocument": "application/msword",
    "Workbook": "application/vnd.ms-excel",
    "Book": "application/vnd.ms-excel",
    "PowerPoint Document": "application/vnd.ms-powerpoint",
}
OLE_MACROS = "_VBA_PROJECT".encode("utf-16-le")
ACCEPTED = "PDF, Word, Excel, PowerPoint or OpenDocument files without macros"


def document_type(content: bytes) -> str | None:
    """The media type of an accepted document, or None for anything else."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"PK\x03\x04"):
        return _zipped_type(content)
    if content.startswith(OLE_MAGIC) and OLE_MACROS not in content:
        return next(
            (kind for stream, kind in OLE_STREAMS.items() if stream.encode("utf-16-le") in content),
            None,
        )
    return None


def _zipped_type(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            names = [entry.filename for entry in entries]
            if any(name.endswith("vbaProject.bin") for name in names):
                return None
            # OpenDocument stores its media type first, uncompressed and short.
            # zipfile unpacks no more than the size a member declares, should its header lie.
            if entries and names[0] == "mimetype" and entries[0].file_size <= 100:
                kind = archive.read(entries[0]).decode("ascii", "replace").strip()
                return kind if kind in EXTENSIONS else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next(
        (kind for folder, kind in OOXML_PARTS.items() if any(n.startswith(folder) for n in names)),
        None,
    )


def unpacked_size(content: bytes) -> int:
    """What a ZIP archive's members say they unpack to (0 for anything else), read from its
    central directory: nothing is unpacked."""
    if not content.startswith(b"PK\x03\x04"):
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
        return 0  # not an archive we read, so not a document we take either


def display_name(uploaded: str | None, media_type: str) -> str:
    """A harmless name to offer the file under: no folders or control characters, and the
    extension of what the file is."""
    base = PurePosixPath((uploaded or "").replace("\\", "/")).name
    stem = re.sub(r"[\x00-\x1f\x7f\"]", "", base.rsplit(".", 1)[0] if "." in base else base)
    return f"{stem.strip()[:150] or 'bijlage'}{EXTENSIONS[media_type]}"


class DocumentStore:
    """A folder of documents named by their id, readable only by the service's user.

    An archive may unpack to at most ``max_unpacked_bytes`` and ``max_ratio`` times its own
    size (``GIA_DOCUMENT_MAX_UNPACKED_BYTES``, ``GIA_DOCUMENT_MAX_RATIO``): office documents
    are XML that packs about ten times smaller, a zip bomb a thousand times.
    """

    def __init__(self, directory: Path, max_bytes: int, settings: Settings) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.max_unpacked_bytes = settings.document_max_unpacked_bytes
        self.max_ratio = settings.document_max_ratio

    @classmethod
    def from_settings(cls, settings: Settings) -> DocumentStore:
        """Where praktijkteam requests' attachments are kept (``GIA_ATTACHMENTS_DIR``)."""
        return cls(settings.effective_attachments_dir, settings.attachment_max_bytes, settings)

    def check(self, content: bytes) -> str:
        """The document's media type; a problem (413, 415, 422) when it cannot be taken."""
        if not content:
            raise Invalid("The file is empty.", errors={"file": ["The file is empty."]})
        if len(content) > self.max_bytes:
            raise TooLarge(
                f"The file is {len(content)} bytes; at most {self.max_bytes} bytes are taken."
            )
        unpacked = unpacked_size(content)
        if unpacked > self.max_unpacked_bytes:
            raise TooLarge(
                f"The document unpacks to {unpacked} bytes; "
                f"at most {self.max_unpacked_bytes} bytes unpacked are taken."
            )
        if unpacked > self.max_ratio * len(content):
            detail = (
                f"The document unpacks to {unpacked // len(content)} times its size; "
                f"at most {self.max_ratio} times is taken."
            )
            raise Invalid(detail, errors={"file": [detail]})
        kind = document_type(content)
        if kind is None:
            raise UnsupportedType(f"This file is not one we take: send {ACCEPTED}.")
        return kind

    def path(self, document_id: str) -> Path:
        return self.directory / str(uuid.UUID(document_id))  # never a path of the caller's

    def save(self, document_id: str, content: bytes) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = self.path(document_id)
        partial = target.with_suffix(".part")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(partial, target)  # readers never see half a document

    def remove(self, document_id: str) -> None:
        self.path(document_id).unlink(missing_ok=True)
