"""Zip bombs: an office document is refused when its central directory says it unpacks to
too much, or to too many times its own size, without unpacking it; ordinary documents pass."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from shared.documents import DocumentStore, unpacked_size
from shared.problems import Invalid, TooLarge
from shared.settings import load_settings
from shared.web.forms import Phrasebook

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MiB = 1024 * 1024


def bomb(unpacked_mib: int, level: int = 9) -> bytes:
    """A .docx whose document part is ``unpacked_mib`` MiB of zeros, written streaming."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(unpacked_mib):
                part.write(bytes(MiB))
    return buffer.getvalue()


def report() -> bytes:
    """An ordinary .docx: a few pages of text, which packs a few times smaller."""
    paragraphs = "".join(
        f"<w:p><w:r><w:t>Paragraaf {n}: de gemeente bespreekt met de wijk wat zij in "
        f"{2000 + n % 13} deed tegen discriminatie en wat zij nog wil doen.</w:t></w:r></w:p>"
        for n in range(2000)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", f"<w:document>{paragraphs}</w:document>")
    return buffer.getvalue()


def store(tmp_path: Path, **env: str) -> DocumentStore:
    return DocumentStore.from_settings(load_settings({"GIA_VAR_DIR": str(tmp_path), **env}))


def test_the_central_directory_says_what_an_archive_unpacks_to() -> None:
    assert unpacked_size(bomb(3)) == 3 * MiB + len(b"<Types/>")
    assert unpacked_size(b"%PDF-1.4\n") == 0
    assert unpacked_size(b"PK\x03\x04 not really a zip") == 0


def test_an_archive_unpacking_to_more_than_the_limit_is_too_large(tmp_path: Path) -> None:
    small = store(
        tmp_path, GIA_DOCUMENT_MAX_UNPACKED_BYTES=str(2 * MiB), GIA_DOCUMENT_MAX_RATIO="5000"
    )
    with pytest.raises(TooLarge, match="unpacks to 3145736 bytes; at most 2097152"):
        small.check(bomb(3))
    assert small.check(bomb(1)) == DOCX


def test_a_gibibyte_bomb_is_refused_by_default(tmp_path: Path) -> None:
    content = bomb(1024, level=1)  # 4.5 MB on the wire, within the attachments' 10 MB
    assert len(content) < store(tmp_path).max_bytes
    with pytest.raises(TooLarge):
        store(tmp_path).check(content)


def test_an_archive_packed_too_tightly_is_refused(tmp_path: Path) -> None:
    content = bomb(20)  # 20 MiB, under 100 MB, but a thousand times its size
    refused = r"unpacks to \d+ times its size; at most 100 times"
    with pytest.raises(Invalid, match=refused) as raised:
        store(tmp_path).check(content)
    assert raised.value.extra["errors"]["file"]
    assert store(tmp_path, GIA_DOCUMENT_MAX_RATIO="2000").check(content) == DOCX


def test_ordinary_documents_pass(tmp_path: Path) -> None:
    content = report()
    assert 2 < unpacked_size(content) / len(content) < 100
    assert store(tmp_path).check(content) == DOCX
    assert store(tmp_path).check(b"%PDF-1.4\n" + bytes(10_000)) == "application/pdf"


def test_the_refusals_read_in_dutch_on_the_pages() -> None:
    phrasebook = Phrasebook(())
    unpacked = "The document unpacks to 3145736 bytes; at most 2097152 bytes unpacked are taken."
    assert phrasebook.dutch(unpacked, 413).startswith("Dit document is uitgepakt te groot.")
    ratio = "The document unpacks to 1000 times its size; at most 100 times is taken."
    assert phrasebook.dutch(ratio, 422).startswith("Dit document is zo sterk ingepakt")
