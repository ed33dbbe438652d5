"""The person's own registration, behind the link in their mail: people have no account, the
signed token in their link is what lets them in."""

from __future__ import annotations

from uuid import UUID

from flask import Response, flash, redirect, render_template, request, url_for

from services.registration import MANIFEST, qr, registrations
from services.registration.access import access_token, check_in_link, opens
from shared.problems import Forbidden
from shared.web.service import now, service_context, transact


def own_url(registration_id: str) -> str:
    token = access_token(service_context().settings.secret_key, registration_id)
    return url_for(".own_page", registration_id=registration_id, token=token)


def _check_link(registration_id: UUID) -> str:
    """The token of the person's link (in the query, or in the form a page posts)."""
    token = request.values.get("token")
    if not opens(service_context().settings.secret_key, str(registration_id), token):
        raise Forbidden("This link does not open this registration.")
    return token or ""


def own_page(registration_id: UUID) -> str:
    token = _check_link(registration_id)
    own = transact(registrations.placed, str(registration_id))
    return render_template(
        "registration/own.html",
        registration=own.registration,
        position=own.waitlist_position,
        meeting=own.registration.meeting,
        token=token,
    )


def check_in_code(registration_id: UUID) -> Response:
    """The QR code the own page shows, as a file of its own: the CSP allows no inline image
    code, and the page stays readable without it."""
    _check_link(registration_id)
    settings = service_context().settings
    link = check_in_link(MANIFEST.public_url(settings), settings.secret_key, str(registration_id))
    return Response(qr.svg(link), mimetype="image/svg+xml")


def confirm_cancel(registration_id: UUID) -> str:
    """The link in the mail (or the page's button) asks first: mail programs and scanners
    open links on their own, and that must never cancel anyone."""
    token = _check_link(registration_id)
    own = transact(registrations.placed, str(registration_id))
    return render_template(
        "gia/confirm.html",
        heading="Afmelden?",
        explanation=[
            f"Wilt u zich afmelden voor {own.registration.meeting.title}?",
            "Uw plaats gaat dan naar wie op de wachtlijst staat.",
        ],
        action=url_for(".cancel_registration", registration_id=registration_id),
        token=token,
        button="Ja, afmelden",
        back=own_url(str(registration_id)),
    )


def cancel_registration(registration_id: UUID) -> Response:
    """The freed seat goes to the first person waiting, who is told at once."""
    _check_link(registration_id)
    transact(
        registrations.cancel_registration,
        service_context().recorder,
        str(registration_id),
        now(),
    )
    flash("U bent afgemeld. Wilt u toch komen? Meld u dan opnieuw aan.")
    return redirect(own_url(str(registration_id)))
