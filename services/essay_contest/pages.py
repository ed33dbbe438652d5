"""The essay contest's Dutch web pages: the blueprint and every URL of it, by audience.

The views live in pages_public (the contest, signing up, confirming, the griffie's answer,
the results), pages_entrant (the entrant's own page, through their personal link),
pages_jury and staff. Forms go through the API's schemas (``load_form``), changes through the use
cases, which also queue the mails; the service's clock decides the deadline here as in the
API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.essay_contest import pages_entrant as entrant
from services.essay_contest import pages_jury as jury
from services.essay_contest import pages_public as public
from services.essay_contest import pages_staff as staff
from services.essay_contest.domain import countdown
from services.essay_contest.labels import FIELD_LABELS, PHRASEBOOK, STATUS_LABELS
from services.essay_contest.models import Contest
from services.essay_contest.municipality_names import municipality_name
from shared.web.forms import dutch_error_pages
from shared.web.pages import add_rules
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


add_rules(
    pages,
    [
        # for everyone
        ("/", public.current, "GET"),
        ("/wedstrijden/<uuid:contest_id>", public.show_contest, "GET"),
        ("/wedstrijden/<uuid:contest_id>", public.sign_up, "POST"),
        ("/bevestigen", public.confirm_form, "GET"),
        ("/bevestigen", public.confirm, "POST"),
        ("/griffie/bevestigen", public.council_question, "GET"),
        ("/griffie/bevestigen", public.council_answer, "POST"),
        ("/griffie/beantwoord", public.council_answered, "GET"),
        ("/wedstrijden/<uuid:contest_id>/uitslag", public.results, "GET"),
        # the entrant, through their personal link
        ("/deelnemer/<uuid:entrant_id>", entrant.own_page, "GET"),
        ("/deelnemer/<uuid:entrant_id>/essay", entrant.save_entry, "POST"),
        ("/deelnemer/<uuid:entrant_id>/intrekken", entrant.confirm_withdraw, "GET"),
        ("/deelnemer/<uuid:entrant_id>/intrekken", entrant.withdraw_entry, "POST"),
        ("/deelnemer/<uuid:entrant_id>/mede-auteurs", entrant.invite_co_author, "POST"),
        (
            "/deelnemer/<uuid:entrant_id>/mede-auteurs/intrekken",
            entrant.take_back_invitation,
            "POST",
        ),
        ("/deelnemer/<uuid:entrant_id>/uitnodiging", entrant.answer_invitation, "POST"),
        ("/deelnemer/<uuid:entrant_id>/gegevens", entrant.change_entrant, "POST"),
        ("/deelnemer/<uuid:entrant_id>/griffie", entrant.ask_griffie, "POST"),
        # the jury
        ("/jury", jury.jury_home, "GET"),
        ("/jury/<uuid:contest_id>", jury.jury_entries, "GET"),
        ("/jury/<uuid:contest_id>/essays/<handle>", jury.jury_entry, "GET"),
        ("/jury/<uuid:contest_id>/essays/<handle>", jury.score_entry, "POST"),
        ("/jury/<uuid:contest_id>/essays/<handle>/belangenconflict", jury.declare_conflict, "POST"),
        # staff: contests
        ("/beheer", staff.overview, "GET"),
        ("/beheer/wedstrijden", staff.create_contest, "POST"),
        ("/beheer/wedstrijden/<uuid:contest_id>", staff.edit_contest, "GET"),
        ("/beheer/wedstrijden/<uuid:contest_id>", staff.change_contest, "POST"),
        # staff: the griffies' addresses
        ("/beheer/griffies", staff.griffies, "GET"),
        ("/beheer/griffies", staff.set_griffie, "POST"),
        ("/beheer/griffies/<code>/verwijderen", staff.remove_griffie, "POST"),
        # staff: ranking, results and privacy
        ("/beheer/wedstrijden/<uuid:contest_id>/ranglijst", staff.ranking, "GET"),
        ("/beheer/wedstrijden/<uuid:contest_id>/ranglijst.csv", staff.ranking_csv, "GET"),
        ("/beheer/wedstrijden/<uuid:contest_id>/gemeenten", staff.municipalities, "GET"),
        ("/beheer/wedstrijden/<uuid:contest_id>/gemeenten.csv", staff.municipalities_csv, "GET"),
        ("/beheer/wedstrijden/<uuid:contest_id>/uitslag", staff.set_results, "POST"),
        ("/beheer/wedstrijden/<uuid:contest_id>/publiceren", staff.publish_results, "POST"),
        ("/beheer/wedstrijden/<uuid:contest_id>/wissen", staff.erase_personal_data, "POST"),
    ],
)
