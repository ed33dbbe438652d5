"""The praktijkteam's Dutch pages: the one blueprint, and every URL it answers.

The views are in ``pages_public`` (what anyone may read), ``pages_municipality`` (the
request form, and the tracking page its signed link opens) and ``pages_staff`` (the
ministry's queue, request pages and capacity, for staff logged in).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.practiceteam import pages_municipality, pages_public, pages_staff
from services.practiceteam.labels import (
    AGE_LABELS,
    FIELD_LABELS,
    KIND_LABELS,
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
        "TEAM_ROLES": ROLE_LABELS,
        "SORTS": SORT_LABELS,
        "AGES": AGE_LABELS,
        "SCORES": SCORE_LABELS,
        "FIELDS": FIELD_LABELS,
        "FORM_FILES": FORM_FILES,
        "DATE_ROWS": DATE_ROWS,
        "municipality_name": _municipality_name,
    }


pages = Blueprint("practiceteam_pages", __name__, template_folder="templates")
dutch_error_pages(pages, PHRASEBOOK)
pages.url_value_preprocessor(room_for_attachments)
pages.context_processor(_page_context)

# -- anyone: what the ministry shares ------------------------------------------------------
pages.add_url_rule("/signalen", "signals", pages_public.signals, methods=["GET"])

# -- the municipality: asking, then its tracking page through the link ----------------------
pages.add_url_rule("/", "new_request", pages_municipality.new_request, methods=["GET"])
pages.add_url_rule("/aanvragen", "new_request", pages_municipality.new_request, methods=["GET"])
pages.add_url_rule("/aanvragen", "submit", pages_municipality.submit, methods=["POST"])
pages.add_url_rule(
    "/aanvraag/<uuid:request_id>", "tracking", pages_municipality.tracking, methods=["GET"]
)
pages.add_url_rule(
    "/aanvraag/<uuid:request_id>/bericht",
    "add_message",
    pages_municipality.add_message,
    methods=["POST"],
)
pages.add_url_rule(
    "/aanvraag/<uuid:request_id>/intrekken",
    "withdraw",
    pages_municipality.withdraw,
    methods=["POST"],
)
pages.add_url_rule(
    "/aanvraag/<uuid:request_id>/evaluatie",
    "evaluate",
    pages_municipality.evaluate,
    methods=["POST"],
)
pages.add_url_rule(
    "/aanvraag/<uuid:request_id>/bijlage",
    "add_attachment",
    pages_municipality.add_attachment,
    methods=["POST"],
)
# Also for staff logged in.
pages.add_url_rule(
    "/aanvraag/<uuid:request_id>/bijlagen/<uuid:attachment_id>",
    "attachment",
    pages_municipality.attachment,
    methods=["GET"],
)

# -- staff: the queue, a request and what they do on it, capacity ----------------------------
pages.add_url_rule("/beheer", "queue", pages_staff.queue, methods=["GET"])
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>",
    "staff_request",
    pages_staff.staff_request,
    methods=["GET"],
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/status", "move", pages_staff.move, methods=["POST"]
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/vraag", "ask", pages_staff.ask, methods=["POST"]
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/notitie", "note", pages_staff.note, methods=["POST"]
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/team", "assign", pages_staff.assign, methods=["POST"]
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/team/<uuid:assignment_id>/verwijderen",
    "unassign",
    pages_staff.unassign,
    methods=["POST"],
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/signaal", "signal", pages_staff.signal, methods=["POST"]
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/bijlage",
    "staff_attachment",
    pages_staff.staff_attachment,
    methods=["POST"],
)
pages.add_url_rule(
    "/beheer/aanvragen/<uuid:request_id>/wissen", "erase", pages_staff.erase, methods=["POST"]
)
pages.add_url_rule("/beheer/capaciteit", "capacity", pages_staff.capacity, methods=["GET"])
