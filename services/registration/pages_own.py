"""The person's own registration, behind the link in their mail: people have no account, the
signed token in their link is what lets them in."""

from __future__ import annotations

from uuid import UUID

from flask import Response, flash, redirect, render_template, request, url_for

from services.registration import registrations
from services.registration.access import access_token, opens
from shared.problems import Forbidden
from shared.web.service import now, service_context, transact


def own_url(registration_id: str) -> str:
    token = access_token(service_context().settings.secret_key, registration_id)
    return url_for(".own_page", registration_id=registration_id, token=token)


def _check_link(registration_id: UUID, token: str | None) -> None:
    if not opens(service_context().settings.secret_key, str(registration_id), token):
        raise Forbidden("This link does not open this registration.")


def own_page(registration_id: UUID) -> str:
    token = request.args.get("token")
    _check_link(registration_id, token)
    own = transact(registrations.placed, str(registration_id))
    return render_template(
        "registration/own.html",
        registration=own.registration,
        position=own.waitlist_position,
        meeting=own.registration.meeting,
        token=token,
    )


def cancel_registration(registration_id: UUID) -> Response:
    """The freed seat goes to the first person waiting, who is told at once."""
    _check_link(registration_id, request.form.get("token"))
    transact(
        registrations.cancel_registration,
        service_context().recorder,
        str(registration_id),
        now(),
    )
    flash("U bent afgemeld. Wilt u toch komen? Meld u dan opnieuw aan.")
    return redirect(own_url(str(registration_id)))
