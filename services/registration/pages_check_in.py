"""Checking someone in by the QR code in their mail or on their page: staff scan it with a
phone's camera, the link opens this page, one tap checks them in.

The code's token only says which registration it is for; the staff session is what lets
anyone see or change it. Without a session the page sends people to the login (the door's
``page_for``) before the token is even looked at, so a photographed code tells a stranger
nothing. Checking in is the door's own use case, so both ways count attendance the same.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.registration import door, registrations
from services.registration.access import checks_in
from services.registration.labels import PHRASEBOOK
from services.registration.models import Registration
from shared.problems import Forbidden
from shared.web.auth import page_for
from shared.web.forms import Feedback, form_step
from shared.web.service import now, service_context, transact


def _scanned(registration_id: UUID) -> tuple[str, str]:
    """The registration and the token of its check-in code (in the query, or in the form)."""
    token = request.values.get("token") or ""
    if not checks_in(service_context().settings.secret_key, str(registration_id), token):
        raise Forbidden("This check-in code does not belong to this registration.")
    return str(registration_id), token


def _page(registration_id: str, token: str, feedback: Feedback | None = None) -> tuple[str, int]:
    own = transact(registrations.placed, registration_id)
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/check_in.html",
        registration=own.registration,
        meeting=own.registration.meeting,
        position=own.waitlist_position,
        token=token,
        feedback=feedback,
    ), feedback.status


@page_for("staff")
def scanned(registration_id: UUID) -> tuple[str, int]:
    return _page(*_scanned(registration_id))


def _step(
    registration_id: UUID, act: Callable[[str], Registration], done: str
) -> ResponseReturnValue:
    """Check in or undo it, then back to the same person's page."""
    scanned_id, token = _scanned(registration_id)
    return form_step(
        lambda: act(scanned_id),
        refused=lambda feedback: _page(scanned_id, token, feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".scanned", registration_id=scanned_id, token=token),
        told=lambda registration: f"{registration.name} {done}",
    )


@page_for("staff")
def check_in_scanned(registration_id: UUID) -> ResponseReturnValue:
    return _step(
        registration_id,
        lambda scanned_id: transact(door.check_in, service_context().recorder, scanned_id, now()),
        "is binnen.",
    )


@page_for("staff")
def undo_scanned_check_in(registration_id: UUID) -> ResponseReturnValue:
    return _step(
        registration_id,
        lambda scanned_id: transact(door.undo_check_in, service_context().recorder, scanned_id),
        "is niet meer binnen gemeld.",
    )
