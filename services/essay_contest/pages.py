"""The essay contest's Dutch web pages: the blueprint and every URL of it, by audience.

The views live in pages_public (the contest, signing up, confirming, the results),
pages_entrant (the entrant's own page, through their personal link), pages_jury and
pages_staff. Forms go through the API's schemas (``load_form``), changes through the use
cases, which also queue the mails; the service's clock decides the deadline here as in the
API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.essay_contest import pages_entrant, pages_jury, pages_public, pages_staff
from services.essay_contest.domain import countdown
from services.essay_contest.labels import FIELD_LABELS, PHRASEBOOK, STATUS_LABELS
from services.essay_contest.models import Contest
from services.essay_contest.municipality_names import municipality_name
from shared.web.forms import dutch_error_pages
from shared.web.service import now, service_context

pages = Blueprint(
    "essay_contest_pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/essay",
)
dutch_error_pages(pages, PHRASEBOOK)


def time_left(contest: Contest) -> str | None:
    """The countdown as people say it: "nog 3 dagen en 4 uur"; None after the deadline."""
    left = countdown(contest.closes_at, now())
    if left is None:
        return None
    if left["days"]:
        days = "1 dag" if left["days"] == 1 else f"{left['days']} dagen"
        return f"nog {days} en {left['hours']} uur"
    return f"nog {left['hours']} uur en {left['minutes']} minuten"


@pages.context_processor
def _page_context() -> dict[str, Any]:
    """The essay pages' own labels and helpers, beside the shared page context."""
    register = service_context().register
    return {
        "FIELDS": FIELD_LABELS,
        "STATUSES": STATUS_LABELS,
        "municipality": lambda code: municipality_name(register, code),
        "time_left": time_left,
    }


GET, POST = ["GET"], ["POST"]

# -- for everyone ---------------------------------------------------------------------------------
pages.add_url_rule("/", "current", pages_public.current, methods=GET)
pages.add_url_rule(
    "/wedstrijden/<uuid:contest_id>", "show_contest", pages_public.show_contest, methods=GET
)
pages.add_url_rule("/wedstrijden/<uuid:contest_id>", "sign_up", pages_public.sign_up, methods=POST)
pages.add_url_rule("/bevestigen", "confirm_form", pages_public.confirm_form, methods=GET)
pages.add_url_rule("/bevestigen", "confirm", pages_public.confirm, methods=POST)
pages.add_url_rule(
    "/wedstrijden/<uuid:contest_id>/uitslag", "results", pages_public.results, methods=GET
)

# -- the entrant, through their personal link -----------------------------------------------------
pages.add_url_rule("/deelnemer/<uuid:entrant_id>", "own_page", pages_entrant.own_page, methods=GET)
pages.add_url_rule(
    "/deelnemer/<uuid:entrant_id>/essay", "save_entry", pages_entrant.save_entry, methods=POST
)
pages.add_url_rule(
    "/deelnemer/<uuid:entrant_id>/intrekken",
    "withdraw_entry",
    pages_entrant.withdraw_entry,
    methods=POST,
)
pages.add_url_rule(
    "/deelnemer/<uuid:entrant_id>/mede-auteurs",
    "invite_co_author",
    pages_entrant.invite_co_author,
    methods=POST,
)
pages.add_url_rule(
    "/deelnemer/<uuid:entrant_id>/mede-auteurs/intrekken",
    "take_back_invitation",
    pages_entrant.take_back_invitation,
    methods=POST,
)
pages.add_url_rule(
    "/deelnemer/<uuid:entrant_id>/uitnodiging",
    "answer_invitation",
    pages_entrant.answer_invitation,
    methods=POST,
)
pages.add_url_rule(
    "/deelnemer/<uuid:entrant_id>/gegevens",
    "change_entrant",
    pages_entrant.change_entrant,
    methods=POST,
)

# -- the jury -------------------------------------------------------------------------------------
pages.add_url_rule("/jury", "jury_home", pages_jury.jury_home, methods=GET)
pages.add_url_rule("/jury/<uuid:contest_id>", "jury_entries", pages_jury.jury_entries, methods=GET)
pages.add_url_rule(
    "/jury/<uuid:contest_id>/essays/<handle>", "jury_entry", pages_jury.jury_entry, methods=GET
)
pages.add_url_rule(
    "/jury/<uuid:contest_id>/essays/<handle>", "score_entry", pages_jury.score_entry, methods=POST
)
pages.add_url_rule(
    "/jury/<uuid:contest_id>/essays/<handle>/belangenconflict",
    "declare_conflict",
    pages_jury.declare_conflict,
    methods=POST,
)

# -- staff: contests ------------------------------------------------------------------------------
pages.add_url_rule("/beheer", "overview", pages_staff.overview, methods=GET)
pages.add_url_rule(
    "/beheer/wedstrijden", "create_contest", pages_staff.create_contest, methods=POST
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>", "edit_contest", pages_staff.edit_contest, methods=GET
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>",
    "change_contest",
    pages_staff.change_contest,
    methods=POST,
)

# -- staff: ranking, results and privacy ----------------------------------------------------------
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/ranglijst", "ranking", pages_staff.ranking, methods=GET
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/ranglijst.csv",
    "ranking_csv",
    pages_staff.ranking_csv,
    methods=GET,
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/gemeenten",
    "municipalities",
    pages_staff.municipalities,
    methods=GET,
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/gemeenten.csv",
    "municipalities_csv",
    pages_staff.municipalities_csv,
    methods=GET,
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/uitslag",
    "set_results",
    pages_staff.set_results,
    methods=POST,
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/publiceren",
    "publish_results",
    pages_staff.publish_results,
    methods=POST,
)
pages.add_url_rule(
    "/beheer/wedstrijden/<uuid:contest_id>/wissen",
    "erase_personal_data",
    pages_staff.erase_personal_data,
    methods=POST,
)
