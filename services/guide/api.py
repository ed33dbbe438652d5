"""The guides' JSON API under /api/v1: thin views over the use cases.

Staff (bearer token) publish guides, editions and toolbox items and read the download
counts; anyone downloads after naming their municipality. Staff endpoints check the
token before they read a body.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from services.guide import counts, downloads, exports, guides
from services.guide.domain import Choice
from services.guide.files import read_file, room_for_files, send, store
from services.guide.schemas import (
    DownloaderIn,
    EditionOut,
    EditionUpload,
    GuideCountOut,
    GuideIn,
    GuideOut,
    MunicipalityCountOut,
    ToolboxItemOut,
    ToolboxItemUpload,
)
from shared.spreadsheet import download as csv_download
from shared.web.auth import bearer_principal, require_role
from shared.web.mail_limits import REFUSED, mail_limited
from shared.web.service import ApiBlueprint, now, service_context, transact
from shared.web.uploads import takes_uploads

api = ApiBlueprint("guide_api", __name__, url_prefix="/api/v1", description="GIA guides")
api.url_value_preprocessor(room_for_files)
STAFF = [{"bearer": []}]
THE_FILE = "The document, as a download (its own media type)"
NOT_YET = "The guide cannot be downloaded yet (see `available_from`)"


def _staff() -> str:
    """The staff member calling an endpoint that ``require_role`` already let through."""
    return bearer_principal().subject


# -- guides ---------------------------------------------------------------------------------


@api.get("/guides")
@api.response(200, GuideOut(many=True))
def list_guides() -> Any:
    """Every guide.

    Also those announced but not yet out, oldest first. Open to anyone."""
    return transact(guides.list_guides)


@api.post("/guides")
@require_role("staff")
@api.arguments(GuideIn)
@api.response(201, GuideOut)
@api.alt_response(409, description="There is a guide at that slug already")
@api.doc(security=STAFF)
def publish_guide(data: dict[str, Any]) -> Any:
    """Announce a guide.

    Officials can download it from `available_from` on, once it has an edition. Staff only
    (bearer token)."""
    return transact(guides.publish_guide, data, _staff())


@api.get("/guides/<uuid:guide_id>")
@api.response(200, GuideOut)
def get_guide(guide_id: Any) -> Any:
    """One guide.

    With its editions and toolbox items. Open to anyone."""
    return transact(guides.get_guide, str(guide_id))


@api.post("/guides/<uuid:guide_id>/editions")
@require_role("staff")
@takes_uploads(1)
@api.arguments(EditionUpload, location="multipart")
@api.response(201, EditionOut)
@api.alt_response(413, description="Larger than the limit (GIA_GUIDE_MAX_BYTES)")
@api.alt_response(415, description="Not a PDF or office document, judged by its content")
@api.doc(security=STAFF)
def add_edition(data: dict[str, Any], guide_id: Any) -> Any:
    """Add an edition.

    The guide's next edition (multipart: `file` and the fields); whoever downloaded the guide
    and left an e-mail address is told once. Staff only (bearer token)."""
    name, content = read_file(data.pop("file"))
    return transact(
        guides.add_edition, store(), str(guide_id), data, name, content, _staff(), now()
    )


@api.post("/guides/<uuid:guide_id>/toolbox-items")
@require_role("staff")
@takes_uploads(1)
@api.arguments(ToolboxItemUpload, location="multipart")
@api.response(201, ToolboxItemOut)
@api.alt_response(413, description="Larger than the limit (GIA_GUIDE_MAX_BYTES)")
@api.alt_response(415, description="Not a PDF or office document, judged by its content")
@api.doc(security=STAFF)
def add_toolbox_item(data: dict[str, Any], guide_id: Any) -> Any:
    """Add a toolbox item.

    One more example or tip in the guide's toolbox (multipart: `file` and the fields). Staff
    only (bearer token)."""
    name, content = read_file(data.pop("file"))
    return transact(guides.add_toolbox_item, store(), str(guide_id), data, name, content, _staff())


@api.get("/files/<uuid:file_id>")
@require_role("staff")
@api.response(200, description=THE_FILE)
@api.doc(security=STAFF)
def staff_file(file_id: Any) -> Any:
    """A stored file.

    An edition's or a toolbox item's file, for staff to check; not counted as a download. Staff
    only (bearer token)."""
    return send(transact(guides.stored_file, str(file_id)))


# -- downloading -----------------------------------------------------------------------------


def _download(guide_id: Any, choice: Choice, downloader: dict[str, Any]) -> Response:
    context = service_context()
    served = transact(
        downloads.download, context.recorder, store(), str(guide_id), choice, downloader, now()
    )
    return send(served.file)


@api.post("/guides/<uuid:guide_id>/downloads")
@mail_limited("email")
@api.arguments(DownloaderIn)
@api.response(200, description=THE_FILE)
@api.alt_response(409, description=NOT_YET)
@api.alt_response(429, **REFUSED)
def download_newest(downloader: dict[str, Any], guide_id: Any) -> Any:
    """Download the newest edition.

    Name your municipality (`municipality_code`: its CBS code or its name); role and e-mail
    address are optional. The download counts for the municipality, never for you. Open to
    anyone, limited per address."""
    return _download(guide_id, Choice(), downloader)


@api.post("/guides/<uuid:guide_id>/editions/<int:number>/downloads")
@mail_limited("email")
@api.arguments(DownloaderIn)
@api.response(200, description=THE_FILE)
@api.alt_response(409, description=NOT_YET)
@api.alt_response(429, **REFUSED)
def download_edition(downloader: dict[str, Any], guide_id: Any, number: int) -> Any:
    """Download an edition.

    One edition, by its number; counted as the newest is. Open to anyone, limited per address."""
    return _download(guide_id, Choice(edition=number), downloader)


@api.post("/guides/<uuid:guide_id>/toolbox-items/<uuid:item_id>/downloads")
@mail_limited("email")
@api.arguments(DownloaderIn)
@api.response(200, description=THE_FILE)
@api.alt_response(409, description=NOT_YET)
@api.alt_response(429, **REFUSED)
def download_toolbox_item(downloader: dict[str, Any], guide_id: Any, item_id: Any) -> Any:
    """Download a toolbox item.

    One item of the guide's toolbox; counted as the newest edition is. Open to anyone, limited
    per address."""
    return _download(guide_id, Choice(toolbox_item_id=str(item_id)), downloader)


# -- counts, for staff ------------------------------------------------------------------------


@api.get("/downloads/guides")
@require_role("staff")
@api.response(200, GuideCountOut(many=True))
@api.doc(security=STAFF)
def downloads_per_guide() -> Any:
    """Downloads per guide.

    Downloads, municipalities and those of the target group, per edition, of the toolbox, and
    per role given. Staff only (bearer token)."""
    return transact(counts.per_guide, service_context().register)


@api.get("/downloads/guides.csv")
@require_role("staff")
@api.response(200, description="The same, as CSV")
@api.doc(security=STAFF)
def downloads_per_guide_csv() -> Any:
    """Downloads per guide, as CSV.

    The same, for a spreadsheet. Staff only (bearer token)."""
    return csv_download(
        transact(exports.guides_csv, service_context().register), "downloads-per-handreiking.csv"
    )


@api.get("/downloads/municipalities")
@require_role("staff")
@api.response(200, MunicipalityCountOut(many=True))
@api.doc(security=STAFF)
def downloads_per_municipality() -> Any:
    """Downloads per municipality.

    Per municipality whose officials downloaded: how often, per guide, first and last. Staff
    only (bearer token)."""
    return transact(counts.per_municipality, service_context().register)


@api.get("/downloads/municipalities.csv")
@require_role("staff")
@api.response(200, description="The same, as CSV")
@api.doc(security=STAFF)
def downloads_per_municipality_csv() -> Any:
    """Downloads per municipality, as CSV.

    The same, for a spreadsheet. Staff only (bearer token)."""
    return csv_download(
        transact(exports.municipalities_csv, service_context().register),
        "downloads-per-gemeente.csv",
    )
