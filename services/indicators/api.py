"""The indicators JSON API under /api/v1.

The figures are aggregates over municipalities and hold no personal data, so
they are open to read; what explains them (evidence, events) is for staff.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Response

from services.indicators import exports, invitations, service
from services.indicators.access import survey_links
from services.indicators.figures import Figure
from services.indicators.schemas import (
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
from shared.clock import utcnow
from shared.problems import Forbidden
from shared.web.auth import bearer_principal, require_role
from shared.web.service import ApiBlueprint, service_context

api = ApiBlueprint("indicators_api", __name__, url_prefix="/api/v1", description="The 2012 figures")
STAFF = [{"bearer": []}]


def figure_out(figure: Figure) -> dict[str, Any]:
    return {**asdict(figure), "value": figure.value, "gap": figure.gap, "reached": figure.reached}


def overview_out(overview: service.Overview) -> dict[str, Any]:
    return {
        "as_of": utcnow(),
        "scope": overview.scope,
        "group_by": overview.group_by,
        "indicators": [figure_out(item) for item in overview.figures],
        "groups": [
            {"group": name, "indicators": [figure_out(item) for item in found]}
            for name, found in overview.groups
        ],
        "outside_target_group": [figure_out(item) for item in overview.outside],
        "activity": figure_out(overview.activity),
    }


def event_links(item: service.Explained) -> dict[str, str]:
    """The event that gave the evidence (``event``) and the one that withdrew it, if any:
    what caused it to count, or to count no longer."""
    links = {"event": item.given_by or item.withdrawn_by, "withdrawn_event": item.withdrawn_by}
    return {name: f"/api/v1/events/{event_id}" for name, event_id in links.items() if event_id}


@api.get("/indicators")
@api.arguments(IndicatorsQuery, location="query")
@api.response(200, IndicatorsOut)
def indicators(query: dict[str, Any]) -> Any:
    """The three figures, of the target group (default) or of every municipality, per group."""
    context = service_context()
    with context.db.transaction() as session:
        found = service.overview(session, context.register, query["scope"], query["group_by"])
    return overview_out(found)


@api.get("/indicators/missing")
@api.response(200, MissingOut(many=True))
@api.doc(security=STAFF)
@require_role("staff")
def missing() -> Any:
    """Per indicator, the target-group municipalities without evidence: whom to approach."""
    context = service_context()
    with context.db.transaction() as session:
        found = service.missing(session, context.register)
    return [
        {
            "indicator": indicator,
            "municipalities": [{"code": m.code, "name": m.name, "region": m.region} for m in ms],
        }
        for indicator, ms in found.items()
    ]


@api.get("/municipalities/<string:code>")
@api.response(200, MunicipalityOut)
@api.doc(security=STAFF)
@require_role("staff")
def municipality(code: str) -> Any:
    """A municipality's standing per indicator, and the evidence with the events behind it."""
    context = service_context()
    with context.db.transaction() as session:
        found, standing, evidence = service.municipality(session, context.register, code)
    return {
        **asdict(found),
        "band": found.band,
        "in_target_group": found.in_target_group,
        "counts_for": standing,
        "evidence": [{**asdict(item), "links": event_links(item)} for item in evidence],
    }


@api.get("/events/<uuid:event_id>")
@api.response(200, EventOut)
@api.doc(security=STAFF)
@require_role("staff")
def event(event_id: Any) -> Any:
    """An event as it was received: what a piece of evidence came from."""
    with service_context().db.transaction() as session:
        found = service.event_of(session, str(event_id))
        return {column: getattr(found, column) for column in EventOut().fields}


@api.post("/municipalities/<string:code>/survey")
@api.arguments(TokenQuery, location="query")
@api.arguments(SurveyIn)
@api.response(201, SurveyOut)
@api.doc(security=[{}, *STAFF])
def answer_survey(query: dict[str, Any], answer: dict[str, Any], code: str) -> Any:
    """Answer the monitor survey, with the municipality's personal link token or as staff.

    The latest answer counts; each answer is an event of its own.
    """
    context = service_context()
    opened = survey_links(context.settings.secret_key).opens(code, query["token"])
    if not opened and bearer_principal().role != "staff":
        raise Forbidden("Only the municipality, through its own link, or staff may answer.")
    with context.db.transaction() as session:
        row = service.answer_survey(
            session, context.register, context.settings.event_source("indicators"), code, answer
        )
        return {column: getattr(row, column) for column in SurveyOut().fields}


@api.get("/survey/links.csv")
@api.response(200, description="Every municipality's personal survey link, as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def survey_links_csv() -> Any:
    """The register holds no addresses, so staff send the links from their own lists."""
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
    """Mail each listed official their municipality's personal survey link.

    The list is checked as a whole (known municipality, valid address, no line
    twice); one wrong line refuses it all with 422, naming the line by its
    position from 0. The mails are queued: 202 with how many.
    """
    with service_context().db.transaction() as session:
        chosen = invitations.selected(session, lines, query["only_unanswered"])
        queued = invitations.invite(session, chosen, bearer_principal().subject, utcnow())
    return {"queued": queued, "skipped": len(lines) - queued}


@api.post("/survey/reminders")
@api.response(202, QueuedOut)
@api.doc(security=STAFF)
@require_role("staff")
def remind() -> Any:
    """Remind every address invited for a municipality that has not answered since."""
    with service_context().db.transaction() as session:
        queued = invitations.remind(session, bearer_principal().subject, utcnow())
    return {"queued": queued, "skipped": 0}
