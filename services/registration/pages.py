"""The registration service's Dutch web pages: for people who register, and for staff.

Views stay thin: forms go through the API's marshmallow schemas (``forms``),
changes through the use cases in service.py, which also queue the mails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from services.registration import exports, mails, service
from services.registration.access import access_token, opens
from services.registration.domain import (
    Status,
    programme_year_over,
    waitlist_positions,
    why_registration_closed,
)
from services.registration.forms import (
    FIELD_LABELS,
    KIND_LABELS,
    PHRASEBOOK,
    ROLE_LABELS,
    STATUS_LABELS,
)
from services.registration.models import Meeting, Registration
from services.registration.schemas import MeetingIn, MeetingQuery, RegistrationIn, WalkInIn
from shared.events.outbox import EventRecorder
from shared.problems import Conflict, Forbidden, Invalid
from shared.web.auth import page_for
from shared.web.forms import (
    Feedback,
    dutch_error_pages,
    form_values,
    load_form,
)
from shared.web.service import service_context

pages = Blueprint("registration_pages", __name__, template_folder="templates")
dutch_error_pages(pages, PHRASEBOOK)


def origin(registration: Registration) -> str:
    """Where someone comes from, as people read it: the municipality and/or organisation."""
    code = registration.municipality_code
    municipality = service_context().register.get(code) if code else None
    parts = (municipality.name if municipality else None, registration.organisation)
    return ", ".join(part for part in parts if part)


@pages.context_processor
def _page_context() -> dict[str, Any]:
    """The registration pages' own labels and helpers, beside the shared page context."""
    return {
        "KINDS": KIND_LABELS,
        "ROLES": ROLE_LABELS,
        "STATUSES": STATUS_LABELS,
        "FIELDS": FIELD_LABELS,
        "when": mails.when,
        "where": mails.where,
        "origin": origin,
    }


# -- for everyone ---------------------------------------------------------------------------


@pages.get("/")
@pages.get("/bijeenkomsten")
def meetings() -> str:
    query = MeetingQuery()
    chosen = query.load(
        {name: request.args[name] for name in query.fields if request.args.get(name)}
    )
    with service_context().db.transaction() as session:
        found = service.upcoming_meetings(session, datetime.now(UTC), **chosen)
    return render_template("registration/meetings.html", meetings=found, values=request.args)


def _meeting_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        meeting = service.get_meeting(session, meeting_id)
    closed = why_registration_closed(
        cancelled=meeting.cancelled_at is not None,
        deadline=meeting.registration_deadline,
        now=datetime.now(UTC),
    )
    feedback = feedback or Feedback()
    return render_template(
        "registration/meeting.html",
        meeting=meeting,
        open=closed is None,
        feedback=feedback,
    ), feedback.status


@pages.get("/bijeenkomsten/<uuid:meeting_id>")
def show_meeting(meeting_id: UUID) -> tuple[str, int]:
    return _meeting_page(str(meeting_id))


@pages.post("/bijeenkomsten/<uuid:meeting_id>")
def register(meeting_id: UUID) -> Any:
    context = service_context()
    try:
        data = load_form(RegistrationIn())
        with context.db.transaction() as session:
            registration = service.register(session, context.recorder, str(meeting_id), data)
    except (ValidationError, Conflict) as error:
        return _meeting_page(str(meeting_id), PHRASEBOOK.feedback(error))
    return redirect(_own_url(registration.id))


def _own_url(registration_id: str) -> str:
    token = access_token(service_context().settings.secret_key, registration_id)
    return url_for(".own_page", registration_id=registration_id, token=token)


def _check_link(registration_id: UUID, token: str | None) -> None:
    """People have no account: the signed token in their link is what lets them in."""
    if not opens(service_context().settings.secret_key, str(registration_id), token):
        raise Forbidden("This link does not open this registration.")


@pages.get("/inschrijving/<uuid:registration_id>")
def own_page(registration_id: UUID) -> str:
    token = request.args.get("token")
    _check_link(registration_id, token)
    with service_context().db.transaction() as session:
        registration = service.get_registration(session, str(registration_id))
        position = service.waitlist_position(session, registration)
        meeting = registration.meeting
    return render_template(
        "registration/own.html",
        registration=registration,
        position=position,
        meeting=meeting,
        token=token,
    )


@pages.post("/inschrijving/<uuid:registration_id>/afmelden")
def cancel_registration(registration_id: UUID) -> Response:
    """The freed seat goes to the first person waiting, who is told at once."""
    _check_link(registration_id, request.form.get("token"))
    context = service_context()
    with context.db.transaction() as session:
        service.cancel_registration(session, context.recorder, str(registration_id))
    flash("U bent afgemeld. Wilt u toch komen? Meld u dan opnieuw aan.")
    return redirect(_own_url(str(registration_id)))


# -- staff: meetings ------------------------------------------------------------------------


def _overview(feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        # Past meetings too: their attendance lists are still wanted.
        everything = list(session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())))
    feedback = feedback or Feedback()
    new = {"kind": "gia", "counts_for_participation": "on"}
    now = datetime.now(UTC)
    return render_template(
        "registration/staff/overview.html",
        meetings=everything,
        erasable={m.id for m in everything if programme_year_over(m.starts_at, now)},
        feedback=feedback,
        values=request.form if request.method == "POST" else MultiDict(new),
    ), feedback.status


@pages.get("/beheer")
@page_for("staff")
def overview() -> tuple[str, int]:
    return _overview()


@pages.post("/beheer/bijeenkomsten")
@page_for("staff")
def create_meeting() -> Any:
    try:
        data = load_form(MeetingIn())
    except ValidationError as error:
        return _overview(PHRASEBOOK.feedback(error))
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.create_meeting(session, context.recorder, data)
    flash(f"De bijeenkomst {meeting.title} is aangemaakt.")
    return redirect(url_for(".overview"))


def _edit_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    with service_context().db.transaction() as session:
        meeting = service.get_meeting(session, meeting_id)
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/edit.html",
        meeting=meeting,
        feedback=feedback,
        values=request.form if request.method == "POST" else form_values(MeetingIn(), meeting),
    ), feedback.status


@pages.get("/beheer/bijeenkomsten/<uuid:meeting_id>")
@page_for("staff")
def edit_meeting(meeting_id: UUID) -> tuple[str, int]:
    return _edit_page(str(meeting_id))


def _told(what: str) -> Response:
    flash(f"De bijeenkomst is {what}; iedereen die zich aanmeldde krijgt bericht.")
    return redirect(url_for(".overview"))


@pages.post("/beheer/bijeenkomsten/<uuid:meeting_id>")
@page_for("staff")
def change_meeting(meeting_id: UUID) -> Any:
    """The whole form is loaded, so the schema checks the times as on creation."""
    context = service_context()
    try:
        data = load_form(MeetingIn())
        with context.db.transaction() as session:
            service.change_meeting(session, context.recorder, str(meeting_id), data)
    except (ValidationError, Conflict, Invalid) as error:
        return _edit_page(str(meeting_id), PHRASEBOOK.feedback(error))
    return _told("gewijzigd")


@pages.post("/beheer/bijeenkomsten/<uuid:meeting_id>/afgelasten")
@page_for("staff")
def cancel_meeting(meeting_id: UUID) -> Response:
    context = service_context()
    with context.db.transaction() as session:
        service.cancel_meeting(session, context.recorder, str(meeting_id))
    return _told("afgelast")


@pages.post("/beheer/bijeenkomsten/<uuid:meeting_id>/wissen")
@page_for("staff")
def erase_personal_data(meeting_id: UUID) -> Response:
    """Once the programme year is over: names and addresses go, attendance by municipality stays."""
    with service_context().db.transaction() as session:
        erased = service.erase_personal_data(session, str(meeting_id), datetime.now(UTC))
    flash(f"De persoonsgegevens van {erased} inschrijving(en) zijn gewist.")
    return redirect(url_for(".overview"))


# -- staff: at the door -----------------------------------------------------------------------


def _door_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    search = request.args.get("q", "").strip().casefold()
    with service_context().db.transaction() as session:
        meeting = service.get_meeting(session, meeting_id)
        everyone = service.registrations_of(session, meeting_id)
    confirmed = sorted(
        (r for r in everyone if r.status == Status.CONFIRMED),
        key=lambda r: (r.name or "").casefold(),
    )
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/door.html",
        meeting=meeting,
        people=[r for r in confirmed if search in _searchable(r)],
        present=sum(r.checked_in_at is not None for r in confirmed),
        total=len(confirmed),
        searchable=_searchable,
        feedback=feedback,
    ), feedback.status


def _searchable(registration: Registration) -> str:
    return f"{registration.name} {registration.email} {origin(registration)}".casefold()


@pages.get("/beheer/bijeenkomsten/<uuid:meeting_id>/deur")
@page_for("staff")
def door(meeting_id: UUID) -> tuple[str, int]:
    return _door_page(str(meeting_id))


@pages.post("/beheer/bijeenkomsten/<uuid:meeting_id>/deur")
@page_for("staff")
def walk_in(meeting_id: UUID) -> Any:
    context = service_context()
    try:
        data = load_form(WalkInIn())
        with context.db.transaction() as session:
            registration = service.walk_in(session, context.recorder, str(meeting_id), data)
    except (ValidationError, Conflict) as error:
        return _door_page(str(meeting_id), PHRASEBOOK.feedback(error))
    flash(f"{registration.name} is aangemeld en binnen.")
    return redirect(url_for(".door", meeting_id=meeting_id))


DoorUseCase = Callable[[Session, EventRecorder, str], Registration]


def _at_door(use_case: DoorUseCase, registration_id: UUID, done: str) -> Response:
    """One tap at the door, then back to the list for the next person."""
    context = service_context()
    with context.db.transaction() as session:
        registration = use_case(session, context.recorder, str(registration_id))
    flash(done.format(name=registration.name))
    return redirect(url_for(".door", meeting_id=registration.meeting_id))


@pages.post("/beheer/inschrijvingen/<uuid:registration_id>/binnen")
@page_for("staff")
def check_in(registration_id: UUID) -> Response:
    return _at_door(service.check_in, registration_id, "{name} is binnen.")


@pages.post("/beheer/inschrijvingen/<uuid:registration_id>/niet-binnen")
@page_for("staff")
def undo_check_in(registration_id: UUID) -> Response:
    return _at_door(service.undo_check_in, registration_id, "{name} is niet meer binnen gemeld.")


# -- staff: lists ---------------------------------------------------------------------------


def _attendance(meeting_id: UUID) -> tuple[Meeting, list[Registration]]:
    with service_context().db.transaction() as session:
        meeting = service.get_meeting(session, str(meeting_id))
        return meeting, service.attendance_of(session, meeting.id)


@pages.get("/beheer/bijeenkomsten/<uuid:meeting_id>/aanwezigheid")
@page_for("staff")
def attendance(meeting_id: UUID) -> str:
    meeting, present = _attendance(meeting_id)
    return render_template("registration/staff/attendance.html", meeting=meeting, present=present)


@pages.get("/beheer/bijeenkomsten/<uuid:meeting_id>/aanwezigheid.csv")
@page_for("staff")
def attendance_csv(meeting_id: UUID) -> Response:
    """The API's export, for staff with a session instead of a bearer token."""
    meeting, present = _attendance(meeting_id)
    body = exports.attendance_csv(present, service_context().register)
    return exports.download(body, meeting, "aanwezigheid")


@pages.get("/beheer/bijeenkomsten/<uuid:meeting_id>/inschrijvingen")
@page_for("staff")
def registrations(meeting_id: UUID) -> str:
    with service_context().db.transaction() as session:
        meeting = service.get_meeting(session, str(meeting_id))
        everyone = service.registrations_of(session, meeting.id)
    return render_template(
        "registration/staff/registrations.html",
        meeting=meeting,
        everyone=everyone,
        positions=waitlist_positions(everyone),
    )
