"""The pages for staff: meetings (new, changed, cancelled, personal data erased), the door on
the day, the lists of who registered and who came, and the signals raised at a meeting with
the ministry's answers."""

from __future__ import annotations

from uuid import UUID

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from services.registration import door as at_door
from services.registration import erasure, exports, meetings
from services.registration import signals as meeting_signals
from services.registration.domain import Status, programme_year_over, waitlist_positions
from services.registration.labels import PHRASEBOOK
from services.registration.models import Registration
from services.registration.registrations import roll_of
from services.registration.schemas import AnswerIn, MeetingIn, SignalIn, WalkInIn
from shared.web.auth import page_for
from shared.web.forms import Feedback, form_step, form_values, load_form, posted
from shared.web.service import now, service_context, transact

# What the form for a new meeting starts with.
NEW_MEETING = {"kind": "gia", "counts_for_participation": "on"}


def origin(registration: Registration) -> str:
    """Where someone comes from, as people read it: the municipality and/or organisation."""
    code = registration.municipality_code
    municipality = service_context().register.get(code) if code else None
    parts = (municipality.name if municipality else None, registration.organisation)
    return ", ".join(part for part in parts if part)


def _everyone_told(what: str) -> str:
    return f"De bijeenkomst is {what}; iedereen die zich aanmeldde krijgt bericht."


# -- meetings ----------------------------------------------------------------------------------


def _overview(feedback: Feedback | None = None) -> tuple[str, int]:
    at = now()
    agenda = transact(meetings.staff_agenda, at)
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/overview.html",
        agenda=agenda,
        erasable={m.id for m in agenda.past if programme_year_over(m.starts_at, at)},
        feedback=feedback,
        values=posted() if request.method == "POST" else MultiDict(NEW_MEETING),
    ), feedback.status


@page_for("staff")
def overview() -> tuple[str, int]:
    return _overview()


@page_for("staff")
def create_meeting() -> ResponseReturnValue:
    return form_step(
        lambda: transact(
            meetings.create_meeting, service_context().recorder, load_form(MeetingIn())
        ),
        refused=_overview,
        feedback=PHRASEBOOK.feedback,
        then=url_for(".overview"),
        told=lambda meeting: f"De bijeenkomst {meeting.title} is aangemaakt.",
    )


def _edit_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    meeting = transact(meetings.get_meeting, meeting_id)
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/edit.html",
        meeting=meeting,
        feedback=feedback,
        values=posted() if request.method == "POST" else form_values(MeetingIn(), meeting),
    ), feedback.status


@page_for("staff")
def edit_meeting(meeting_id: UUID) -> tuple[str, int]:
    return _edit_page(str(meeting_id))


@page_for("staff")
def change_meeting(meeting_id: UUID) -> ResponseReturnValue:
    """The whole form is loaded, so the schema checks the times as on creation."""
    return form_step(
        lambda: transact(
            meetings.change_meeting,
            service_context().recorder,
            str(meeting_id),
            load_form(MeetingIn()),
        ),
        refused=lambda feedback: _edit_page(str(meeting_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".overview"),
        told=_everyone_told("gewijzigd"),
    )


@page_for("staff")
def cancel_meeting(meeting_id: UUID) -> Response:
    transact(meetings.cancel_meeting, service_context().recorder, str(meeting_id), now())
    flash(_everyone_told("afgelast"))
    return redirect(url_for(".overview"))


@page_for("staff")
def erase_personal_data(meeting_id: UUID) -> Response:
    """Once the programme year is over: names and addresses go, attendance by municipality stays."""
    erased = transact(erasure.erase_personal_data, str(meeting_id), now())
    flash(f"De persoonsgegevens van {erased} inschrijving(en) zijn gewist.")
    return redirect(url_for(".overview"))


# -- at the door -------------------------------------------------------------------------------


def _searchable(registration: Registration) -> str:
    return f"{registration.name} {registration.email} {origin(registration)}".casefold()


def _door_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    search = request.args.get("q", "").strip()
    roll = transact(roll_of, meeting_id)
    confirmed = sorted(
        (r for r in roll.everyone if r.status == Status.CONFIRMED),
        key=lambda r: (r.name or "").casefold(),
    )
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/door.html",
        meeting=roll.meeting,
        search=search,
        people=[r for r in confirmed if search.casefold() in _searchable(r)],
        arrivals=at_door.arrivals(confirmed),
        searchable=_searchable,
        feedback=feedback,
    ), feedback.status


@page_for("staff")
def door(meeting_id: UUID) -> tuple[str, int]:
    return _door_page(str(meeting_id))


@page_for("staff")
def walk_in(meeting_id: UUID) -> ResponseReturnValue:
    return form_step(
        lambda: transact(
            at_door.walk_in,
            service_context().recorder,
            str(meeting_id),
            load_form(WalkInIn()),
            now(),
        ),
        refused=lambda feedback: _door_page(str(meeting_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".door", meeting_id=meeting_id),
        told=lambda registration: f"{registration.name} is aangemeld en binnen.",
    )


def _next_at_door(registration: Registration, done: str) -> Response:
    """One tap at the door, then back to the list for the next person: with the search that
    was typed, at the row just tapped (the form posts the search along)."""
    flash(done)
    return redirect(
        url_for(
            ".door",
            meeting_id=registration.meeting_id,
            q=request.form.get("q", "").strip() or None,
            _anchor=f"person-{registration.id}",
        )
    )


@page_for("staff")
def check_in(registration_id: UUID) -> Response:
    registration = transact(
        at_door.check_in, service_context().recorder, str(registration_id), now()
    )
    return _next_at_door(registration, f"{registration.name} is binnen.")


@page_for("staff")
def undo_check_in(registration_id: UUID) -> Response:
    registration = transact(at_door.undo_check_in, service_context().recorder, str(registration_id))
    return _next_at_door(registration, f"{registration.name} is niet meer binnen gemeld.")


# -- lists -------------------------------------------------------------------------------------


@page_for("staff")
def attendance(meeting_id: UUID) -> str:
    roll = transact(roll_of, str(meeting_id))
    return render_template(
        "registration/staff/attendance.html", meeting=roll.meeting, present=roll.present
    )


@page_for("staff")
def attendance_csv(meeting_id: UUID) -> Response:
    """The API's export, for staff with a session instead of a bearer token."""
    return exports.attendance(transact(roll_of, str(meeting_id)), service_context().register)


@page_for("staff")
def registrations(meeting_id: UUID) -> str:
    roll = transact(roll_of, str(meeting_id))
    return render_template(
        "registration/staff/registrations.html",
        meeting=roll.meeting,
        everyone=roll.everyone,
        positions=waitlist_positions(roll.everyone),
    )


# -- signals raised at a meeting, and the ministry's answers -----------------------------------


def _signals_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    found = transact(meeting_signals.signals_at, meeting_id)
    closed = meeting_signals.why_no_signals(found.meeting, now())
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/signals.html",
        meeting=found.meeting,
        signals=found.signals,
        audience=found.audience,
        closed=PHRASEBOOK.dutch(closed, 409) if closed else None,
        feedback=feedback,
    ), feedback.status


@page_for("staff")
def signals(meeting_id: UUID) -> tuple[str, int]:
    return _signals_page(str(meeting_id))


@page_for("staff")
def record_signal(meeting_id: UUID) -> ResponseReturnValue:
    return form_step(
        lambda: transact(
            meeting_signals.record_signal, str(meeting_id), load_form(SignalIn()), now()
        ),
        refused=lambda feedback: _signals_page(str(meeting_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".signals", meeting_id=meeting_id),
        told="Het signaal is vastgelegd; beantwoord het zodra het ministerie weet wat het doet.",
    )


def _signal_page(signal_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    found = transact(meeting_signals.answering, signal_id)
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/signal.html",
        signal=found.signal,
        meeting=found.meeting,
        audience=found.audience,
        feedback=feedback,
    ), feedback.status


@page_for("staff")
def signal(signal_id: UUID) -> tuple[str, int]:
    return _signal_page(str(signal_id))


@page_for("staff")
def answer_signal(signal_id: UUID) -> ResponseReturnValue:
    return form_step(
        lambda: transact(
            meeting_signals.answer_signal,
            service_context().recorder,
            str(signal_id),
            load_form(AnswerIn()),
            now(),
        ),
        refused=lambda feedback: _signal_page(str(signal_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=lambda answered: url_for(".signals", meeting_id=answered.meeting_id),
        told=lambda answered: f"Het antwoord is verstuurd aan {answered.mailed_to} aanwezige(n).",
    )
