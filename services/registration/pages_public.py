"""The pages for everyone: the meetings to come, one meeting, and registering for it."""

from __future__ import annotations

from uuid import UUID

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.registration import registrations
from services.registration.domain import why_registration_closed
from services.registration.labels import PHRASEBOOK
from services.registration.meetings import get_meeting, upcoming_meetings
from services.registration.pages_own import own_url
from services.registration.schemas import LinkRequestIn, MeetingQuery, RegistrationIn
from shared.web.forms import Feedback, form_step, load_form, posted
from shared.web.mail_limits import mail_limited
from shared.web.service import now, service_context, transact


def meetings() -> str:
    query = MeetingQuery()
    chosen = query.load(
        {name: request.args[name] for name in query.fields if request.args.get(name)}
    )
    found = transact(upcoming_meetings, now(), **chosen)
    return render_template("registration/meetings.html", meetings=found, values=request.args)


def _meeting_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    meeting = transact(get_meeting, meeting_id)
    closed = why_registration_closed(
        cancelled=meeting.cancelled_at is not None,
        deadline=meeting.registration_deadline,
        now=now(),
    )
    feedback = feedback or Feedback()
    return render_template(
        "registration/meeting.html",
        meeting=meeting,
        open=closed is None,
        feedback=feedback,
    ), feedback.status


def show_meeting(meeting_id: UUID) -> tuple[str, int]:
    return _meeting_page(str(meeting_id))


def register(meeting_id: UUID) -> ResponseReturnValue:
    """On to the person's own page, the one their mail links to as well."""
    return form_step(
        mail_limited("email")(
            lambda: transact(
                registrations.register,
                service_context().recorder,
                str(meeting_id),
                load_form(RegistrationIn()),
                now=now(),
            )
        ),
        refused=lambda feedback: _meeting_page(str(meeting_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=lambda registration: own_url(registration.id),
    )


# The same answer whether the address registered or not, so the form tells nobody who did.
LINK_AGAIN_SENT = (
    "Is dit e-mailadres aangemeld voor deze bijeenkomst? Dan sturen wij de link naar uw "
    "aanmelding daarheen. Ziet u hem niet binnen een paar minuten, kijk dan ook bij de "
    "ongewenste mail."
)


def _link_page(meeting_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    return render_template(
        "registration/link.html",
        meeting=transact(get_meeting, meeting_id),
        feedback=feedback,
        values=posted(),
    ), feedback.status


def link_form(meeting_id: UUID) -> tuple[str, int]:
    return _link_page(str(meeting_id))


def send_link_again(meeting_id: UUID) -> ResponseReturnValue:
    """For whoever registered and lost the mail: the link goes only to the registered address."""
    return form_step(
        mail_limited("email")(
            lambda: transact(
                registrations.send_link_again,
                str(meeting_id),
                load_form(LinkRequestIn())["email"],
            )
        ),
        refused=lambda feedback: _link_page(str(meeting_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".link_form", meeting_id=meeting_id),
        told=LINK_AGAIN_SENT,
    )
