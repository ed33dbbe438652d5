"""The registration JSON API under /api/v1: thin views over the use cases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.registration import exports, service
from services.registration.access import opens, personal_links
from services.registration.domain import waitlist_positions
from services.registration.models import Meeting, Registration
from services.registration.schemas import (
    AccessQuery,
    MeetingChange,
    MeetingIn,
    MeetingOut,
    MeetingQuery,
    RegistrationIn,
    RegistrationOut,
    WalkInIn,
)
from shared.problems import Forbidden
from shared.web.auth import bearer_principal, require_role
from shared.web.service import ApiBlueprint, service_context

api = ApiBlueprint(
    "registration_api", __name__, url_prefix="/api/v1", description="Meetings and registrations"
)
STAFF = [{"bearer": []}]


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    out = {
        column: getattr(meeting, column)
        for column in MeetingOut().fields
        if hasattr(meeting, column)
    }
    return out


def registration_out(registration: Registration, position: int | None) -> dict[str, Any]:
    """``position``: the place on the waiting list, None for anyone not waiting."""
    context = service_context()
    out = {
        column: getattr(registration, column)
        for column in RegistrationOut().fields
        if hasattr(registration, column)
    }
    out["waitlist_position"] = position
    out["links"] = personal_links(
        context.settings.public_url("registration"), context.settings.secret_key, registration.id
    )
    return out


def _staff_or_owner(registration_id: str, token: str | None) -> None:
    """The person's own link opens their registration; anyone else needs a staff token."""
    if opens(service_context().settings.secret_key, registration_id, token):
        return
    if bearer_principal().role != "staff":
        raise Forbidden("Only staff, or the person through their own link, may do this.")


# -- meetings ------------------------------------------------------------------------


@api.get("/meetings")
@api.arguments(MeetingQuery, location="query")
@api.response(200, MeetingOut(many=True))
def list_meetings(query: dict[str, Any]) -> Any:
    with service_context().db.transaction() as session:
        meetings = service.upcoming_meetings(session, datetime.now(UTC), **query)
        return [meeting_out(meeting) for meeting in meetings]


@api.post("/meetings")
@api.arguments(MeetingIn)
@api.response(201, MeetingOut)
@api.doc(security=STAFF)
@require_role("staff")
def create_meeting(data: dict[str, Any]) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.create_meeting(session, context.recorder, data)
        return meeting_out(meeting)


@api.get("/meetings/<uuid:meeting_id>")
@api.response(200, MeetingOut)
def get_meeting(meeting_id: Any) -> Any:
    with service_context().db.transaction() as session:
        return meeting_out(service.get_meeting(session, str(meeting_id)))


@api.patch("/meetings/<uuid:meeting_id>")
@api.arguments(MeetingChange(partial=True))
@api.response(200, MeetingOut)
@api.doc(security=STAFF)
@require_role("staff")
def change_meeting(data: dict[str, Any], meeting_id: Any) -> Any:
    """Change a meeting; everyone registered is told, and more seats promote people waiting."""
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.change_meeting(session, context.recorder, str(meeting_id), data)
        return meeting_out(meeting)


@api.post("/meetings/<uuid:meeting_id>/cancel")
@api.response(200, MeetingOut)
@api.doc(security=STAFF)
@require_role("staff")
def cancel_meeting(meeting_id: Any) -> Any:
    """Cancel a meeting: registration closes and everyone registered is told."""
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.cancel_meeting(session, context.recorder, str(meeting_id))
        return meeting_out(meeting)


@api.get("/meetings/<uuid:meeting_id>/registrations")
@api.response(200, RegistrationOut(many=True))
@api.doc(security=STAFF)
@require_role("staff")
def list_registrations(meeting_id: Any) -> Any:
    with service_context().db.transaction() as session:
        everyone = service.registrations_of(session, str(meeting_id))
        positions = waitlist_positions(everyone)
        return [registration_out(r, positions.get(r.id)) for r in everyone]


@api.get("/meetings/<uuid:meeting_id>/attendance.csv")
@api.response(200, description="The attendance list as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def attendance_csv(meeting_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.get_meeting(session, str(meeting_id))
        present = service.attendance_of(session, meeting.id)
    return exports.download(
        exports.attendance_csv(present, context.register), meeting, "aanwezigheid"
    )


@api.get("/meetings/<uuid:meeting_id>/registrations.csv")
@api.response(200, description="Every registration with its status, as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def registrations_csv(meeting_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        meeting = service.get_meeting(session, str(meeting_id))
        everyone = service.registrations_of(session, meeting.id)
    return exports.download(
        exports.registrations_csv(everyone, context.register), meeting, "inschrijvingen"
    )


@api.post("/meetings/<uuid:meeting_id>/erase-personal-data")
@api.response(200, description="How many registrations were erased")
@api.doc(security=STAFF)
@require_role("staff")
def erase_personal_data(meeting_id: Any) -> Any:
    """After the programme year: forget names and addresses, keep attendance by municipality."""
    with service_context().db.transaction() as session:
        erased = service.erase_personal_data(session, str(meeting_id), datetime.now(UTC))
    return {"erased": erased}


# -- registrations -----------------------------------------------------------------------


@api.post("/meetings/<uuid:meeting_id>/registrations")
@api.arguments(RegistrationIn)
@api.response(201, RegistrationOut)
@api.alt_response(409, description="Closed, not for this role, or already registered")
def register(data: dict[str, Any], meeting_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        registration = service.register(session, context.recorder, str(meeting_id), data)
        position = service.newcomer_position(registration)
    return registration_out(registration, position)


@api.post("/meetings/<uuid:meeting_id>/walk-ins")
@api.arguments(WalkInIn)
@api.response(201, RegistrationOut)
@api.doc(security=STAFF)
@require_role("staff")
def walk_in(data: dict[str, Any], meeting_id: Any) -> Any:
    """Someone at the door who did not register: registered and checked in at once."""
    context = service_context()
    with context.db.transaction() as session:
        registration = service.walk_in(session, context.recorder, str(meeting_id), data)
        return registration_out(registration, None)


@api.get("/registrations/<uuid:registration_id>")
@api.arguments(AccessQuery, location="query")
@api.response(200, RegistrationOut)
@api.doc(security=[*STAFF, {}])
def get_registration(query: dict[str, Any], registration_id: Any) -> Any:
    """For staff, or for the person through the token in their own link."""
    _staff_or_owner(str(registration_id), query["token"])
    with service_context().db.transaction() as session:
        registration = service.get_registration(session, str(registration_id))
        return registration_out(registration, service.waitlist_position(session, registration))


@api.post("/registrations/<uuid:registration_id>/cancel")
@api.arguments(AccessQuery, location="query")
@api.response(200, RegistrationOut)
@api.doc(security=[*STAFF, {}])
def cancel_registration(query: dict[str, Any], registration_id: Any) -> Any:
    """Cancel (the ``links.cancel`` address); the first person waiting gets the seat."""
    _staff_or_owner(str(registration_id), query["token"])
    context = service_context()
    with context.db.transaction() as session:
        registration = service.cancel_registration(session, context.recorder, str(registration_id))
    return registration_out(registration, None)


@api.post("/registrations/<uuid:registration_id>/check-in")
@api.response(200, RegistrationOut)
@api.doc(security=STAFF)
@require_role("staff")
def check_in(registration_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        registration = service.check_in(session, context.recorder, str(registration_id))
        return registration_out(registration, None)


@api.delete("/registrations/<uuid:registration_id>/check-in")
@api.response(200, RegistrationOut)
@api.doc(security=STAFF)
@require_role("staff")
def undo_check_in(registration_id: Any) -> Any:
    context = service_context()
    with context.db.transaction() as session:
        registration = service.undo_check_in(session, context.recorder, str(registration_id))
        return registration_out(registration, None)
