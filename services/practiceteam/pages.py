"""The praktijkteam's Dutch pages: the one blueprint, and every URL it answers.

The views are in ``pages_public`` (what anyone may read), ``pages_municipality`` (the
request form, and the tracking page its signed link opens) and ``pages_staff`` (the
ministry's queue, request pages and capacity, for staff logged in).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.practiceteam import pages_municipality as municipality
from services.practiceteam import pages_public as public
from services.practiceteam import pages_staff as staff
from services.practiceteam.labels import (
    AGE_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
    MEETING_LABELS,
    MOVE_LABELS,
    PARTY_LABELS,
    PHRASEBOOK,
    ROLE_LABELS,
    SCORE_LABELS,
    SORT_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
)
from services.practiceteam.uploads import FORM_FILES, room_for_attachments
from shared.web.forms import dutch_error_pages
from shared.web.pages import add_rules
from shared.web.service import service_context

# Rows of date inputs on the planning form.
DATE_ROWS = 5


def _municipality_name(code: str) -> str:
    found = service_context().register.get(code)
    return found.name if found else code


def _page_context() -> dict[str, Any]:
    """The praktijkteam pages' own labels and helpers, beside the shared page context."""
    return {
        "STATUSES": STATUS_LABELS,
        "MOVES": MOVE_LABELS,
        "STEPS": STEP_LABELS,
        "PARTIES": PARTY_LABELS,
        "KINDS": KIND_LABELS,
        "MEETINGS": MEETING_LABELS,
        "TEAM_ROLES": ROLE_LABELS,
        "SORTS": SORT_LABELS,
        "AGES": AGE_LABELS,
        "SCORES": SCORE_LABELS,
        "FIELDS": FIELD_LABELS,
        "FORM_FILES": FORM_FILES,
        "RETENTION_DAYS": service_context().settings.practiceteam_retention_days,
        "DATE_ROWS": DATE_ROWS,
        "municipality_name": _municipality_name,
    }


pages = Blueprint("practiceteam_pages", __name__, template_folder="templates")
dutch_error_pages(pages, PHRASEBOOK)
pages.url_value_preprocessor(room_for_attachments)
pages.context_processor(_page_context)

add_rules(
    pages,
    [
        # anyone: what the ministry shares
        ("/signalen", public.signals, "GET"),
        # the municipality: asking, then its tracking page through the link
        ("/", municipality.new_request, "GET"),
        ("/aanvragen", municipality.new_request, "GET"),
        ("/aanvragen", municipality.submit, "POST"),
        ("/aanvraag/<uuid:request_id>", municipality.tracking, "GET"),
        ("/aanvraag/<uuid:request_id>/bericht", municipality.add_message, "POST"),
        ("/aanvraag/<uuid:request_id>/intrekken", municipality.withdraw, "POST"),
        ("/aanvraag/<uuid:request_id>/evaluatie", municipality.evaluate, "POST"),
        ("/aanvraag/<uuid:request_id>/bijlage", municipality.add_attachment, "POST"),
        # (also for staff logged in)
        (
            "/aanvraag/<uuid:request_id>/bijlagen/<uuid:attachment_id>",
            municipality.attachment,
            "GET",
        ),
        # staff: the queue, a request and what they do on it, capacity
        ("/beheer", staff.queue, "GET"),
        ("/beheer/aanvragen/<uuid:request_id>", staff.staff_request, "GET"),
        ("/beheer/aanvragen/<uuid:request_id>/status", staff.move, "POST"),
        ("/beheer/aanvragen/<uuid:request_id>/vraag", staff.ask, "POST"),
        ("/beheer/aanvragen/<uuid:request_id>/notitie", staff.note, "POST"),
        ("/beheer/aanvragen/<uuid:request_id>/team", staff.assign, "POST"),
        (
            "/beheer/aanvragen/<uuid:request_id>/team/<uuid:assignment_id>/verwijderen",
            staff.unassign,
            "POST",
        ),
        ("/beheer/aanvragen/<uuid:request_id>/signaal", staff.signal, "POST"),
        ("/beheer/aanvragen/<uuid:request_id>/bijlage", staff.staff_attachment, "POST"),
        ("/beheer/aanvragen/<uuid:request_id>/wissen", staff.erase, "POST"),
        ("/beheer/capaciteit", staff.capacity, "GET"),
    ],
)
