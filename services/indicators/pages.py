"""The indicators' Dutch pages: the blueprint, and every URL of it in one place.

Staff pages need a staff session (``pages_staff``); feeds and downloads take a
staff session or a feed token in the URL (``pages_feeds``); the survey takes
the municipality's personal link (``pages_survey``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from services.indicators import pages_feeds, pages_staff, pages_survey
from services.indicators.labels import FIELDS, NAMES, USES
from services.indicators.rules import INDICATORS

pages = Blueprint("indicators_pages", __name__, template_folder="templates")


@pages.context_processor
def _page_context() -> dict[str, Any]:
    return {"NAMES": NAMES, "TARGETS": INDICATORS, "USES": USES, "FIELDS": FIELDS}


# Staff: the figures and why.
pages.add_url_rule("/", "dashboard", pages_staff.dashboard, methods=["GET"])
pages.add_url_rule(
    "/gemeenten/<string:code>", "municipality", pages_staff.municipality, methods=["GET"]
)
pages.add_url_rule("/ontbrekend", "missing", pages_staff.missing, methods=["GET"])
pages.add_url_rule("/rapport", "report", pages_staff.report, methods=["GET"])

# Staff: their own feed tokens.
pages.add_url_rule("/feeds", "create_feed_token", pages_staff.create_feed_token, methods=["POST"])
pages.add_url_rule(
    "/feeds/<uuid:token_id>/intrekken",
    "revoke_feed_token",
    pages_staff.revoke_feed_token,
    methods=["POST"],
)

# Staff: survey invitations.
pages.add_url_rule(
    "/uitnodigingen", "invitations_page", pages_staff.invitations_page, methods=["GET"]
)
pages.add_url_rule("/uitnodigingen", "invite", pages_staff.invite, methods=["POST"])
pages.add_url_rule("/uitnodigingen/herinneren", "remind", pages_staff.remind, methods=["POST"])
pages.add_url_rule(
    "/uitnodigingen/adressen-wissen",
    "erase_addresses",
    pages_staff.erase_addresses,
    methods=["POST"],
)

# Feed readers and downloads: a staff session or a feed token.
pages.add_url_rule(
    "/feeds/<uuid:token_id>/<string:name>", "feed", pages_feeds.feed, methods=["GET"]
)

# The municipality: the survey behind its personal link.
pages.add_url_rule("/enquete/<string:code>", "survey", pages_survey.survey, methods=["GET"])
pages.add_url_rule(
    "/enquete/<string:code>", "answer_survey", pages_survey.answer_survey, methods=["POST"]
)
