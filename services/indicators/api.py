"""The indicators JSON API under /api/v1.

The figures are aggregates over municipalities and hold no personal data, so
they are open to read; what explains them (evidence, events) is for staff.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response

from services.indicators import (
    answers,
    appreciation,
    comparison,
    explanations,
    exports,
    invitations,
    overviews,
)
from services.indicators.access import survey_links
from services.indicators.schemas import (
    AppreciationOut,
    AppreciationQuery,
    ComparisonOut,
    EventOut,
    IndicatorsOut,
    IndicatorsQuery,
    InvitationIn,
    InvitationsQuery,
    MissingOut,
    MunicipalityOut,
    QueuedOut,
    SurveyIn,
    SurveyOut,
    TokenQuery,
)
from shared.problems import Forbidden
from shared.web.auth import bearer_principal, link_token, require_access, require_role
from shared.web.service import ApiBlueprint, now, service_context, transact

api = ApiBlueprint("indicators_api", __name__, url_prefix="/api/v1", description="The 2012 figures")
STAFF = [{"bearer": []}]


@api.get("/indicators")
@api.arguments(IndicatorsQuery, location="query")
@api.response(200, IndicatorsOut)
def indicators(query: dict[str, Any]) -> Any:
    """The three figures.

    Of the target group (default) or of every municipality, per group. Aggregates without
    personal data, open to anyone."""
    register = service_context().register
    return transact(overviews.overview, register, query["scope"], query["group_by"])


@api.get("/indicators/comparison")
@api.response(200, ComparisonOut)
def comparison_of_periods() -> Any:
    """2008-2011 beside 2012.

    The evaluation's participation per region (table 4), awareness per band (table 3) and the
    three figures in all, each with its table and page, beside the live figures of every
    municipality (as 2008-2011 counted) and of the target group. Open to anyone."""
    return transact(comparison.comparison, service_context().register)


@api.get("/indicators/missing")
@api.response(200, MissingOut(many=True))
@api.doc(security=STAFF)
@require_role("staff")
def missing() -> Any:
    """Municipalities without evidence.

    Per indicator, the target-group municipalities without evidence: whom to approach. Staff
    only (bearer token)."""
    return transact(overviews.missing, service_context().register)


@api.get("/municipalities/<string:code>")
@api.response(200, MunicipalityOut)
@api.doc(security=STAFF)
@require_role("staff")
def municipality(code: str) -> Any:
    """A municipality's standing.

    Per indicator, and the evidence with the events behind it. Staff only (bearer token)."""
    return transact(explanations.explain, service_context().register, code)


@api.get("/events/<uuid:event_id>")
@api.response(200, EventOut)
@api.doc(security=STAFF)
@require_role("staff")
def event(event_id: uuid.UUID) -> Any:
    """One received event.

    An event as it was received: what a piece of evidence came from. Staff only (bearer token)."""
    return transact(explanations.event_of, str(event_id))


def _municipality_or_staff(code: str) -> None:
    """The municipality's own survey link opens its survey; anyone else needs a staff token."""
    opened = survey_links(service_context().settings.secret_key).opens(code, link_token())
    if not opened and bearer_principal().role != "staff":
        raise Forbidden("Only the municipality, through its own link, or staff may answer.")


@api.post("/municipalities/<string:code>/survey")
@api.arguments(TokenQuery, location="query")
@api.arguments(SurveyIn)
@api.response(201, SurveyOut)
@api.doc(security=[{}, *STAFF])
@require_access(_municipality_or_staff, roles=("staff",))
def answer_survey(_query: dict[str, Any], answer: dict[str, Any], code: str) -> Any:
    """Answer the monitor survey.

    The latest answer counts; each answer is an event of its own. The municipality through its
    personal link token, or staff."""
    context = service_context()
    source = context.settings.event_source("indicators")
    return transact(answers.answer_survey, context.register, source, code, answer)


@api.get("/survey/appreciation")
@api.arguments(AppreciationQuery, location="query")
@api.response(200, AppreciationOut)
@api.doc(security=STAFF)
@require_role("staff")
def survey_appreciation(query: dict[str, Any]) -> Any:
    """Appreciation in the survey.

    What the survey asks as the 2008-2011 evaluation did (tables 6-11): the latest answers per
    band or region, counted per answer, beside the evaluation's shares. Staff only (bearer
    token)."""
    return transact(appreciation.appreciation, service_context().register, query["group_by"])


@api.get("/survey/appreciation.csv")
@api.response(200, description="The same by band and by region, one row per answer, as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def survey_appreciation_csv() -> Any:
    """Appreciation, as CSV.

    By band and by region, one row per answer. Staff only (bearer token)."""
    return Response(
        transact(exports.appreciation_csv, service_context().register),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=waardering.csv"},
    )


@api.get("/survey/links.csv")
@api.response(200, description="Every municipality's personal survey link, as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def survey_links_csv() -> Any:
    """Survey links, as CSV.

    Every municipality's personal survey link: the register holds no addresses, so staff send
    the links from their own lists. Staff only (bearer token)."""
    context = service_context()
    return Response(
        exports.survey_links_csv(context.register, context.settings),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=enquete-links.csv"},
    )


@api.post("/survey/invitations")
@api.arguments(InvitationsQuery, location="query")
@api.arguments(InvitationIn(many=True))
@api.response(202, QueuedOut)
@api.doc(security=STAFF)
@require_role("staff")
def invite(query: dict[str, Any], lines: list[dict[str, Any]]) -> Any:
    """Invite officials to the survey.

    Mail each listed official their municipality's personal survey link. The list is checked as
    a whole (known municipality, valid address, no line twice); one wrong line refuses it all,
    naming the line by its position from 0. The mails are queued: 202 with how many. Staff only
    (bearer token)."""
    by = bearer_principal().subject
    return transact(invitations.invite_listed, lines, query["only_unanswered"], by, now())


@api.post("/survey/reminders")
@api.response(202, QueuedOut)
@api.doc(security=STAFF)
@require_role("staff")
def remind() -> Any:
    """Remind who has not answered.

    Every address invited for a municipality that has not answered since is reminded. Staff only
    (bearer token)."""
    return invitations.Queued(transact(invitations.remind, bearer_principal().subject, now()))
