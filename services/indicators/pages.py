"""The indicators' Dutch pages: the blueprint, and every URL of it in one place.

Staff pages need a staff session (``pages_staff``); feeds and downloads take a
staff session or a feed token in the URL (``pages_feeds``); the survey takes
the municipality's personal link (``pages_survey``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.indicators import pages_feeds as feeds
from services.indicators import pages_staff as staff
from services.indicators import pages_survey as survey
from services.indicators.appreciation import QUESTIONS
from services.indicators.labels import (
    ASKED,
    FIELDS,
    GROUPINGS,
    NAMES,
    NO_ANSWER,
    STATEMENTS_HINT,
    USES,
    group_name,
)
from services.indicators.rules import INDICATORS
from services.indicators.wording import EVENTS
from shared.web.pages import add_rules

pages = Blueprint("indicators_pages", __name__, template_folder="templates")


@pages.context_processor
def _page_context() -> dict[str, Any]:
    return {
        "NAMES": NAMES,
        "TARGETS": INDICATORS,
        "USES": USES,
        "FIELDS": FIELDS,
        "QUESTIONS": QUESTIONS,
        "ASKED": ASKED,
        "STATEMENTS_HINT": STATEMENTS_HINT,
        "NO_ANSWER": NO_ANSWER,
        "GROUPINGS": GROUPINGS,
        "group_name": group_name,
        "EVENTS": EVENTS,
    }


add_rules(
    pages,
    [
        # Staff: the figures and why.
        ("/", staff.dashboard, "GET"),
        ("/beheer", staff.dashboard, "GET"),  # where staff land after logging in, as elsewhere
        ("/gemeenten/<string:code>", staff.municipality, "GET"),
        ("/ontbrekend", staff.missing, "GET"),
        ("/rapport", staff.report, "GET"),
        ("/waardering", staff.appreciation_page, "GET"),
        ("/waardering.csv", staff.appreciation_csv, "GET"),
        # Staff: their own feed tokens.
        ("/feeds", staff.create_feed_token, "POST"),
        ("/feeds/<uuid:token_id>/intrekken", staff.revoke_feed_token, "POST"),
        # Staff: survey invitations.
        ("/uitnodigingen", staff.invitations_page, "GET"),
        ("/uitnodigingen", staff.invite, "POST"),
        ("/uitnodigingen/herinneren", staff.remind, "POST"),
        ("/uitnodigingen/adressen-wissen", staff.erase_addresses, "POST"),
        # Staff: events the consumers parked (the message by ?id=, which may hold any text).
        ("/geparkeerd", staff.parked_page, "GET"),
        ("/geparkeerd/opnieuw", staff.replay_parked, "POST"),
        ("/geparkeerd/verwijderen", staff.confirm_drop_parked, "GET"),
        ("/geparkeerd/verwijderen", staff.drop_parked, "POST"),
        # Feed readers and downloads: a staff session or a feed token.
        ("/feeds/<uuid:token_id>/<string:name>", feeds.feed, "GET"),
        # The municipality: the survey behind its personal link.
        ("/enquete/<string:code>", survey.survey, "GET"),
        ("/enquete/<string:code>", survey.answer_survey, "POST"),
    ],
)
