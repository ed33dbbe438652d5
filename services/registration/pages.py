"""The registration service's Dutch pages: the one blueprint, and every URL it answers.

The views are in ``pages_public`` (the meetings, and registering for one),
``pages_own`` (the person's own registration, behind the link in their mail) and
``pages_staff`` (meetings, the door on the day, and the lists, for staff logged in).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.registration import mails, pages_own, pages_public, pages_staff
from services.registration.labels import (
    FIELD_LABELS,
    KIND_LABELS,
    PHRASEBOOK,
    ROLE_LABELS,
    STATUS_LABELS,
)
from shared.web.forms import dutch_error_pages


def _page_context() -> dict[str, Any]:
    """The registration pages' own labels and helpers, beside the shared page context."""
    return {
        "KINDS": KIND_LABELS,
        "ROLES": ROLE_LABELS,
        "STATUSES": STATUS_LABELS,
        "FIELDS": FIELD_LABELS,
        "when": mails.when,
        "where": mails.where,
        "origin": pages_staff.origin,
    }


pages = Blueprint("registration_pages", __name__, template_folder="templates")
dutch_error_pages(pages, PHRASEBOOK)
pages.context_processor(_page_context)

# -- everyone: the meetings to come, and registering -----------------------------------------
pages.add_url_rule("/", "meetings", pages_public.meetings, methods=["GET"])
pages.add_url_rule("/bijeenkomsten", "meetings", pages_public.meetings, methods=["GET"])
pages.add_url_rule(
    "/bijeenkomsten/<uuid:meeting_id>", "show_meeting", pages_public.show_meeting, methods=["GET"]
)
pages.add_url_rule(
    "/bijeenkomsten/<uuid:meeting_id>", "register", pages_public.register, methods=["POST"]
)

# -- the person: their own registration, through the link in their mail ----------------------
pages.add_url_rule(
    "/inschrijving/<uuid:registration_id>", "own_page", pages_own.own_page, methods=["GET"]
)
pages.add_url_rule(
    "/inschrijving/<uuid:registration_id>/afmelden",
    "cancel_registration",
    pages_own.cancel_registration,
    methods=["POST"],
)

# -- staff: meetings ---------------------------------------------------------------------------
pages.add_url_rule("/beheer", "overview", pages_staff.overview, methods=["GET"])
pages.add_url_rule(
    "/beheer/bijeenkomsten", "create_meeting", pages_staff.create_meeting, methods=["POST"]
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>",
    "edit_meeting",
    pages_staff.edit_meeting,
    methods=["GET"],
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>",
    "change_meeting",
    pages_staff.change_meeting,
    methods=["POST"],
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/afgelasten",
    "cancel_meeting",
    pages_staff.cancel_meeting,
    methods=["POST"],
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/wissen",
    "erase_personal_data",
    pages_staff.erase_personal_data,
    methods=["POST"],
)

# -- staff: at the door ------------------------------------------------------------------------
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/deur", "door", pages_staff.door, methods=["GET"]
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/deur",
    "walk_in",
    pages_staff.walk_in,
    methods=["POST"],
)
pages.add_url_rule(
    "/beheer/inschrijvingen/<uuid:registration_id>/binnen",
    "check_in",
    pages_staff.check_in,
    methods=["POST"],
)
pages.add_url_rule(
    "/beheer/inschrijvingen/<uuid:registration_id>/niet-binnen",
    "undo_check_in",
    pages_staff.undo_check_in,
    methods=["POST"],
)

# -- staff: who registered and who came --------------------------------------------------------
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/aanwezigheid",
    "attendance",
    pages_staff.attendance,
    methods=["GET"],
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/aanwezigheid.csv",
    "attendance_csv",
    pages_staff.attendance_csv,
    methods=["GET"],
)
pages.add_url_rule(
    "/beheer/bijeenkomsten/<uuid:meeting_id>/inschrijvingen",
    "registrations",
    pages_staff.registrations,
    methods=["GET"],
)
