"""The indicators' Dutch pages: the staff dashboard, explanations, the report, survey
invitations, feeds, the survey.

Staff pages need a staff session; feeds and downloads take a staff session or
a feed token in the URL (feed readers send no cookies); the survey page takes
the municipality's personal link.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError

from services.indicators import exports, feeds, invitations, service
from services.indicators.access import feed_links, survey_links
from services.indicators.figures import ALL, DIMENSIONS, TARGET_GROUP
from services.indicators.rules import EXPLAINED, INDICATORS
from services.indicators.schemas import InvitationChoices, InvitationListForm, SurveyIn
from shared.clock import AMSTERDAM, utcnow
from shared.problems import Forbidden, Unauthorized
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, Phrasebook, first_message, load_form
from shared.web.service import service_context

pages = Blueprint("indicators_pages", __name__, template_folder="templates")
NAMES = {**feeds.NAMES, "activity": "Activiteit"}
USES = {
    "discussed": (
        "De handreiking en/of de uitkomsten van de bijeenkomsten zijn binnen de gemeente besproken"
    ),
    "policy": "Er is of wordt een (nieuwe) integratienota vastgesteld",
    "sector_paragraph": "Bij sectoraal beleid is of wordt een integratieparagraaf toegevoegd",
    "projects": "Er zijn een of meer nieuwe integratieprojecten gestart",
    "other": "Anders",
    "planned": "Nog niet, maar dat gaat nog gebeuren",
}
FIELDS = {
    "knows_guide": "Kent uw gemeente de GIA-handreiking?",
    "read_guide": "Is de handreiking binnen uw gemeente gelezen?",
    "uses": "Hoe heeft uw gemeente de handreiking gebruikt?",
    "other_use": "Anders, namelijk",
    "lines": "Gemeentecode en e-mailadres, één per regel",
    "file": "Of een CSV-bestand met dezelfde regels",
    "only_unanswered": "Alleen gemeenten die nog niet hebben geantwoord",
}
PHRASEBOOK = Phrasebook(
    (
        (r"used otherwise", "Beschrijf hoe de handreiking anders is gebruikt."),
        (r"each way of use once", "Kies elke manier van gebruik één keer."),
        (
            r"Unknown municipality code '(?P<code>[^']*)'",
            "gemeentecode {code} staat niet in het register.",
        ),
        (r"given twice", "deze gemeente met dit e-mailadres staat al op een eerdere regel."),
        (
            r"municipality code and an e-mail address",
            "geef een gemeentecode en een e-mailadres, gescheiden door ; of ,.",
        ),
        (r"Not a valid email", "dit is geen geldig e-mailadres."),
        (r"Give 1 to (?P<most>\d+) invitations", "Geef 1 tot {most} regels."),
    )
)
CHART = (640, 240)  # width, height of the trend chart in SVG units


@pages.context_processor
def _page_context() -> dict[str, Any]:
    return {"NAMES": NAMES, "TARGETS": INDICATORS, "USES": USES, "FIELDS": FIELDS}


def chart_lines(series: dict[str, list[tuple[date, float]]]) -> dict[str, str]:
    """SVG polyline points per indicator: days along, share up (0 to 100%)."""
    width, height = CHART
    lines = {}
    for indicator, points in series.items():
        step = width / max(1, len(points) - 1)
        lines[indicator] = " ".join(
            f"{index * step:.1f},{height - value * height:.1f}"
            for index, (_, value) in enumerate(points)
        )
    return lines


# -- staff pages ------------------------------------------------------------------------------


@pages.get("/")
@page_for("staff")
def dashboard() -> str:
    context = service_context()
    today = utcnow().astimezone(AMSTERDAM).date()
    with context.db.transaction() as session:
        overview = service.overview(session, context.register, TARGET_GROUP, "region")
        series = service.daily_series(session, context.register, today)
        regional = {
            name: service.daily_series(session, context.register, today, region=name)
            for name, _ in overview.groups
        }
        missing = service.missing(session, context.register)
        recent = service.recent_events(session)
        tokens = service.feed_tokens(session, _subject())
    return render_template(
        "indicators/dashboard.html",
        overview=overview,
        series=series,
        lines=chart_lines(series),
        regional={name: (found, chart_lines(found)) for name, found in regional.items()},
        chart=CHART,
        missing=missing,
        recent=recent,
        tokens=tokens,
        signer=feed_links(context.settings.secret_key),
    )


@pages.get("/gemeenten/<string:code>")
@page_for("staff")
def municipality(code: str) -> str:
    context = service_context()
    with context.db.transaction() as session:
        found, standing, evidence = service.municipality(session, context.register, code)
        answer = service.latest_answer(session, found.code)
    return render_template(
        "indicators/municipality.html",
        municipality=found,
        standing=standing,
        evidence=evidence,
        answer=answer,
    )


@pages.get("/ontbrekend")
@page_for("staff")
def missing() -> str:
    context = service_context()
    with context.db.transaction() as session:
        found = service.missing(session, context.register)
    return render_template("indicators/missing.html", missing=found)


@pages.get("/rapport")
@page_for("staff")
def report() -> str:
    context = service_context()
    today = utcnow().astimezone(AMSTERDAM).date()
    with context.db.transaction() as session:
        overviews = {
            dimension: service.overview(session, context.register, TARGET_GROUP, dimension)
            for dimension in DIMENSIONS
        }
        everyone = service.overview(session, context.register, ALL, None)
        series = service.daily_series(session, context.register, today)
    return render_template(
        "indicators/report.html",
        overviews=overviews,
        everyone=everyone,
        series=series,
        lines=chart_lines(series),
        chart=CHART,
        rules=EXPLAINED,
        today=today,
    )


def _subject() -> str:
    """Who is logged in (pages for staff only are reached with a session)."""
    principal = session_principal()
    return principal.subject if principal else ""


@pages.post("/feeds")
@page_for("staff")
def create_feed_token() -> Any:
    label = (request.form.get("label") or "").strip()[:100] or "feed"
    with service_context().db.transaction() as session:
        service.create_feed_token(session, _subject(), label)
    return redirect(url_for(".dashboard") + "#feeds")


@pages.post("/feeds/<uuid:token_id>/intrekken")
@page_for("staff")
def revoke_feed_token(token_id: Any) -> Any:
    with service_context().db.transaction() as session:
        service.revoke_feed_token(session, _subject(), str(token_id))
    return redirect(url_for(".dashboard") + "#feeds")


# -- survey invitations ------------------------------------------------------------------------


def _invitations_page(
    feedback: Feedback | None = None,
    problems: list[str] | None = None,
    preview: dict[str, Any] | None = None,
) -> tuple[str, int]:
    context = service_context()
    with context.db.transaction() as session:
        invited = invitations.invited(session, context.register)
        due = invitations.reminder_addresses(session)
    feedback = feedback or Feedback()
    return render_template(
        "indicators/invitations.html",
        invited=invited,
        due=len(due),
        feedback=feedback,
        problems=problems or [],
        preview=preview,
    ), feedback.status


def _refused(error: ValidationError) -> tuple[str, int]:
    """The list again with every wrong line named, in Dutch; nothing was sent."""
    lines = error.normalized_messages().get("lines")
    if not isinstance(lines, dict):
        return _invitations_page(PHRASEBOOK.feedback(error))
    problems = [f"Regel {n}: {PHRASEBOOK.dutch(first_message(m), 422)}" for n, m in lines.items()]
    summary = f"{len(problems)} regel(s) kloppen niet; er is niets verstuurd."
    return _invitations_page(Feedback(422, {"lines": summary}), problems)


def _posted_list() -> dict[str, Any]:
    """The pasted lines, or an uploaded file's lines instead, through the one schema."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return load_form(InvitationListForm())
    text = upload.read().decode("utf-8-sig", errors="replace")
    return InvitationListForm().load({**load_form(InvitationChoices()), "lines": text})


@pages.get("/uitnodigingen")
@page_for("staff")
def invitations_page() -> tuple[str, int]:
    return _invitations_page()


@pages.post("/uitnodigingen")
@page_for("staff")
def invite() -> Any:
    """Check the list and show how many would go; send only what the staff member confirmed."""
    try:
        found = _posted_list()
    except ValidationError as error:
        return _refused(error)
    with service_context().db.transaction() as session:
        chosen = invitations.selected(session, found["invitations"], found["only_unanswered"])
        sent = invitations.invite(session, chosen, _subject(), utcnow()) if found["send"] else 0
    if not found["send"]:
        return _invitations_page(preview={**found, "chosen": len(chosen)})
    flash(f"{sent} uitnodiging(en) staan klaar om te worden verstuurd.")
    return redirect(url_for(".invitations_page"))


@pages.post("/uitnodigingen/herinneren")
@page_for("staff")
def remind() -> Any:
    with service_context().db.transaction() as session:
        sent = invitations.remind(session, _subject(), utcnow())
    flash(f"{sent} herinnering(en) staan klaar om te worden verstuurd.")
    return redirect(url_for(".invitations_page"))


@pages.post("/uitnodigingen/adressen-wissen")
@page_for("staff")
def erase_addresses() -> Any:
    with service_context().db.transaction() as session:
        erased = invitations.erase_addresses(session, utcnow())
    flash(f"{erased} e-mailadres(sen) gewist.")
    return redirect(url_for(".invitations_page"))


# -- feeds and downloads ------------------------------------------------------------------------


def _feed_reader(token_id: str) -> None:
    """A staff session, or a feed token that was issued and not revoked."""
    principal = session_principal()
    if principal is not None and principal.role == "staff":
        return
    token = request.args.get("token")
    if not token:
        raise Unauthorized("This feed needs a staff session or a feed token (?token=...).")
    context = service_context()
    with context.db.transaction() as session:
        valid = service.feed_token_valid(session, token_id)
    if not (valid and feed_links(context.settings.secret_key).opens(token_id, token)):
        raise Forbidden("This feed token is not valid, or has been revoked.")


def _download(body: str | bytes, mimetype: str, filename: str | None = None) -> Response:
    headers = {"Content-Disposition": f"attachment; filename={filename}"} if filename else {}
    return Response(body, mimetype=mimetype, headers=headers)


@pages.get("/feeds/<uuid:token_id>/<string:name>")
def feed(token_id: Any, name: str) -> Response:
    _feed_reader(str(token_id))
    context = service_context()
    with context.db.transaction() as session:
        if name in ("figures.atom", "figures.json"):
            items = feeds.entries(service.changes(session, limit=200))
            page = url_for(".dashboard", _external=True)
            if name == "figures.json":
                body = feeds.json_feed(items, request.url, page)
                return Response(json.dumps(body), mimetype="application/feed+json")
            return _download(feeds.atom(items, request.url, page, utcnow()), "application/atom+xml")
        if name == "figures.csv":
            target = service.overview(session, context.register, TARGET_GROUP, None)
            everyone = service.overview(session, context.register, ALL, None)
            return _download(exports.figures_csv(target, everyone), "text/csv", name)
        if name == "groups.csv":
            found = [
                service.overview(session, context.register, scope, dimension)
                for scope in (TARGET_GROUP, ALL)
                for dimension in DIMENSIONS
            ]
            return _download(exports.groups_csv(found), "text/csv", name)
        if name == "evidence.csv":
            return _download(exports.evidence_csv(session, context.register), "text/csv", name)
    return Response(status=404)


# -- the survey -------------------------------------------------------------------------------


def _survey_page(code: str, token: str | None, feedback: Feedback | None = None) -> tuple[str, int]:
    context = service_context()
    if not survey_links(context.settings.secret_key).opens(code, token):
        raise Forbidden("Deze link is niet geldig. Gebruik de link die u van het ministerie kreeg.")
    found = context.register.get(code)
    if found is None:
        raise Forbidden("Deze link is niet geldig.")
    with context.db.transaction() as session:
        answer = service.latest_answer(session, found.code)
    feedback = feedback or Feedback()
    return render_template(
        "indicators/survey.html", municipality=found, token=token, answer=answer, feedback=feedback
    ), feedback.status


@pages.get("/enquete/<string:code>")
def survey(code: str) -> tuple[str, int]:
    return _survey_page(code, request.args.get("token"))


@pages.post("/enquete/<string:code>")
def answer_survey(code: str) -> Any:
    context = service_context()
    token = request.form.get("token")
    if not survey_links(context.settings.secret_key).opens(code, token):
        raise Forbidden("Deze link is niet geldig. Gebruik de link die u van het ministerie kreeg.")
    try:
        answer = load_form(SurveyIn())
    except ValidationError as error:
        return _survey_page(code, token, PHRASEBOOK.feedback(error))
    with context.db.transaction() as session:
        service.answer_survey(
            session, context.register, context.settings.event_source("indicators"), code, answer
        )
    return redirect(url_for(".survey", code=code, token=token, bedankt=1))
