"""The registration service's Dutch pages: the one blueprint, and every URL it answers.

The views are in ``pages_public`` (the meetings, and registering for one),
``pages_own`` (the person's own registration, behind the link in their mail),
``pages_check_in`` (staff checking someone in by their QR code) and ``pages_staff``
(meetings, the door on the day, the lists, and the signals raised at a meeting with the
ministry's answers, for staff logged in); ``pages_staff_plan`` holds the
staff pages about the programme as a whole: the meetings against the plan and registrations
over time.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.registration import mails
from services.registration import pages_check_in as scanning
from services.registration import pages_own as own
from services.registration import pages_public as public
from services.registration import pages_staff as staff
from services.registration import pages_staff_plan as programme
from services.registration.labels import (
    FIELD_LABELS,
    KIND_LABELS,
    PHRASEBOOK,
    ROLE_LABELS,
    STATUS_LABELS,
)
from shared.web.forms import dutch_error_pages
from shared.web.pages import add_rules


def _page_context() -> dict[str, Any]:
    """The registration pages' own labels and helpers, beside the shared page context."""
    return {
        "KINDS": KIND_LABELS,
        "ROLES": ROLE_LABELS,
        "STATUSES": STATUS_LABELS,
        "FIELDS": FIELD_LABELS,
        "when": mails.when,
        "where": mails.where,
        "origin": staff.origin,
    }


pages = Blueprint(
    "registration_pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/registration",
)
dutch_error_pages(pages, PHRASEBOOK)
pages.context_processor(_page_context)

add_rules(
    pages,
    [
        # everyone: the meetings to come, and registering
        ("/", public.meetings, "GET"),
        ("/bijeenkomsten", public.meetings, "GET"),
        ("/bijeenkomsten/<uuid:meeting_id>", public.show_meeting, "GET"),
        ("/bijeenkomsten/<uuid:meeting_id>", public.register, "POST"),
        ("/bijeenkomsten/<uuid:meeting_id>/link", public.link_form, "GET"),
        ("/bijeenkomsten/<uuid:meeting_id>/link", public.send_link_again, "POST"),
        # the person: their own registration, through the link in their mail
        ("/inschrijving/<uuid:registration_id>", own.own_page, "GET"),
        ("/inschrijving/<uuid:registration_id>/afmelden", own.confirm_cancel, "GET"),
        ("/inschrijving/<uuid:registration_id>/afmelden", own.cancel_registration, "POST"),
        ("/inschrijving/<uuid:registration_id>/inchecken.svg", own.check_in_code, "GET"),
        # staff: meetings
        ("/beheer", staff.overview, "GET"),
        ("/beheer/bijeenkomsten", staff.create_meeting, "POST"),
        ("/beheer/bijeenkomsten/<uuid:meeting_id>", staff.edit_meeting, "GET"),
        ("/beheer/bijeenkomsten/<uuid:meeting_id>", staff.change_meeting, "POST"),
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/afgelasten", staff.cancel_meeting, "POST"),
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/wissen", staff.erase_personal_data, "POST"),
        # staff: at the door
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/deur", staff.door, "GET"),
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/deur", staff.walk_in, "POST"),
        ("/beheer/inschrijvingen/<uuid:registration_id>/binnen", staff.check_in, "POST"),
        (
            "/beheer/inschrijvingen/<uuid:registration_id>/niet-binnen",
            staff.undo_check_in,
            "POST",
        ),
        # staff: checking someone in by the QR code in their mail or on their page
        ("/beheer/inchecken/<uuid:registration_id>", scanning.scanned, "GET"),
        ("/beheer/inchecken/<uuid:registration_id>", scanning.check_in_scanned, "POST"),
        (
            "/beheer/inchecken/<uuid:registration_id>/ongedaan",
            scanning.undo_scanned_check_in,
            "POST",
        ),
        # staff: who registered and who came
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/aanwezigheid", staff.attendance, "GET"),
        (
            "/beheer/bijeenkomsten/<uuid:meeting_id>/aanwezigheid.csv",
            staff.attendance_csv,
            "GET",
        ),
        (
            "/beheer/bijeenkomsten/<uuid:meeting_id>/inschrijvingen",
            staff.registrations,
            "GET",
        ),
        # staff: the year's meetings against the plan, and registrations over time
        ("/beheer/plan", programme.this_year, "GET"),
        ("/beheer/plan/<int:year>", programme.plan, "GET"),
        ("/beheer/plan/<int:year>", programme.set_plan, "POST"),
        ("/beheer/verloop", programme.registrations_over_time, "GET"),
        (
            "/beheer/bijeenkomsten/<uuid:meeting_id>/verloop",
            programme.meeting_over_time,
            "GET",
        ),
        # staff: signals raised at a meeting, and the ministry's answers
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/signalen", staff.signals, "GET"),
        ("/beheer/bijeenkomsten/<uuid:meeting_id>/signalen", staff.record_signal, "POST"),
        ("/beheer/signalen/<uuid:signal_id>", staff.signal, "GET"),
        ("/beheer/signalen/<uuid:signal_id>", staff.answer_signal, "POST"),
    ],
)
