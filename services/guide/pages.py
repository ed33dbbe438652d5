"""The guides' Dutch pages: the one blueprint, and every URL it answers.

The views are in ``pages_public`` (the guides, and downloading after naming one's
municipality) and ``pages_staff`` (publishing guides, editions and toolbox items, and the
downloads per guide and per municipality, for staff logged in).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.guide import pages_public as public
from services.guide import pages_staff as staff
from services.guide.addresses import retention_days
from services.guide.files import room_for_files
from services.guide.labels import FIELD_LABELS, PHRASEBOOK, ROLE_COUNT_LABELS, ROLE_LABELS
from shared.clock import amsterdam_today
from shared.web.forms import dutch_error_pages
from shared.web.pages import add_rules
from shared.web.service import now, service_context


def _page_context() -> dict[str, Any]:
    """The guide pages' own labels, the day it is in the Netherlands, and how long an
    address left with a download is kept at most."""
    return {
        "FIELDS": FIELD_LABELS,
        "ROLES": ROLE_LABELS,
        "ROLE_COUNTS": ROLE_COUNT_LABELS,
        "today": amsterdam_today(now),
        "retention_days": retention_days(service_context().settings),
    }


pages = Blueprint("guide_pages", __name__, template_folder="templates")
dutch_error_pages(pages, PHRASEBOOK)
pages.url_value_preprocessor(room_for_files)
pages.context_processor(_page_context)

add_rules(
    pages,
    [
        # everyone: the guides, and downloading one after naming one's municipality
        ("/", public.guides_page, "GET"),
        ("/handreikingen/<string:slug>", public.guide_page, "GET"),
        ("/handreikingen/<string:slug>", public.download, "POST"),
        # staff: publishing
        ("/beheer", staff.overview, "GET"),
        ("/beheer/handreikingen", staff.publish_guide, "POST"),
        ("/beheer/handreikingen/<string:slug>", staff.staff_guide, "GET"),
        ("/beheer/handreikingen/<string:slug>/editie", staff.edition_form, "GET"),
        ("/beheer/handreikingen/<string:slug>/editie", staff.add_edition, "POST"),
        ("/beheer/handreikingen/<string:slug>/gereedschap", staff.toolbox_form, "GET"),
        ("/beheer/handreikingen/<string:slug>/gereedschap", staff.add_toolbox_item, "POST"),
        ("/beheer/bestanden/<uuid:file_id>", staff.staff_file, "GET"),
        # staff: the downloads
        ("/beheer/downloads", staff.downloads_page, "GET"),
        ("/beheer/downloads/handreikingen.csv", staff.guides_csv, "GET"),
        ("/beheer/downloads/gemeenten.csv", staff.municipalities_csv, "GET"),
    ],
)
