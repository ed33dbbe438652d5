"""The registration JSON API under /api/v1: thin views over the use cases."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from services.registration import service
from services.registration.mails import registration_received
from services.registration.schemas import MeetingIn, MeetingOut, RegistrationIn, RegistrationOut
from shared.web.auth import require_role
from shared.web.service import service_context

api = Blueprint(
    "registration_api", __name__, url_prefix="/api/v1", description="Meetings and registrations"
)


def _meeting_out(session: Any, meeting: Any) -> dict[str, Any]:
    out = {
        column: getattr(meeting, column)
        for column in MeetingOut().fields
        if hasattr(meeting, column)
    }
    out["seats_left"] = max(meeting.capacity - service.confirmed_count(session, meeting.id), 0)
    return out


@api.post("/meetings")
@api.arguments(MeetingIn)
@api.response(201, MeetingOut)
@api.doc(security=[{"bearer": []}])
@require_role("staff")
def create_meeting(data: dict[str, Any]) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.create_meeting(session, context.recorder, data)
        return _meeting_out(session, meeting)


@api.get("/meetings/<uuid:meeting_id>")
@api.response(200, MeetingOut)
def get_meeting(meeting_id: Any) -> Any:
    with service_context().db.transaction() as session:
        return _meeting_out(session, service.get_meeting(session, str(meeting_id)))


@api.post("/meetings/<uuid:meeting_id>/registrations")
@api.arguments(RegistrationIn)
@api.response(201, RegistrationOut)
@api.alt_response(409, description="Closed, not for this role, or already registered")
def register(data: dict[str, Any], meeting_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        registration = service.register(session, context.recorder, str(meeting_id), data)
        mail = registration_received(context.settings, registration.meeting, registration)
    context.mailer.send(mail)  # after the commit: a mail failure never loses the registration
    return registration


@api.post("/registrations/<uuid:registration_id>/check-in")
@api.response(200, RegistrationOut)
@api.doc(security=[{"bearer": []}])
@require_role("staff")
def check_in(registration_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        return service.check_in(session, context.recorder, str(registration_id))
