"""The registration JSON API under /api/v1: thin views over the use cases."""

from __future__ import annotations

from typing import Any

from services.registration import (
    door,
    erasure,
    exports,
    meetings,
    plan,
    registrations,
    signals,
    timeline,
)
from services.registration.access import opens
from services.registration.models import Meeting, MeetingSignal
from services.registration.plan import PlanView
from services.registration.schemas import (
    AccessQuery,
    AnswerIn,
    LinkRequestIn,
    MeetingChange,
    MeetingIn,
    MeetingOut,
    MeetingQuery,
    PlanIn,
    PlanOut,
    RegistrationIn,
    RegistrationOut,
    SignalIn,
    SignalOut,
    TimelineOut,
    TimelineQuery,
    WalkInIn,
)
from services.registration.timeline import Timeline
from services.registration.waiting_list import Placed, in_line, newcomer_position
from shared.problems import Forbidden
from shared.web.auth import bearer_principal, link_token, require_access, require_role
from shared.web.mail_limits import REFUSED, mail_limited
from shared.web.service import ApiBlueprint, now, service_context, transact

api = ApiBlueprint(
    "registration_api", __name__, url_prefix="/api/v1", description="Meetings and registrations"
)
STAFF = [{"bearer": []}]
LINK_AGAIN_SENT = (
    "If this address registered for this meeting, its personal link is on its way there."
)


def _staff_or_owner(registration_id: Any) -> None:
    """The person's own link opens their registration; anyone else needs a staff token."""
    if opens(service_context().settings.secret_key, str(registration_id), link_token()):
        return
    if bearer_principal().role != "staff":
        raise Forbidden("Only staff, or the person through their own link, may do this.")


# -- meetings ------------------------------------------------------------------------


@api.get("/meetings")
@api.arguments(MeetingQuery, location="query")
@api.response(200, MeetingOut(many=True))
def list_meetings(query: dict[str, Any]) -> list[Meeting]:
    """Upcoming meetings.

    The meetings still to come, soonest first, optionally of one region, kind or theme. Open to
    anyone: it is what people choose from before they register."""
    return transact(meetings.upcoming_meetings, now(), **query)


@api.post("/meetings")
@api.arguments(MeetingIn)
@api.response(201, MeetingOut)
@api.doc(security=STAFF)
@require_role("staff")
def create_meeting(data: dict[str, Any]) -> Meeting:
    """Plan a meeting.

    A GIA or Raad voor Raad meeting with its venue, times, seats and registration deadline.
    Staff only (bearer token)."""
    return transact(meetings.create_meeting, service_context().recorder, data)


@api.get("/meetings/<uuid:meeting_id>")
@api.response(200, MeetingOut)
def get_meeting(meeting_id: Any) -> Meeting:
    """One meeting.

    The meeting with the seats left and how many people wait for one. Open to anyone."""
    return transact(meetings.get_meeting, str(meeting_id))


@api.patch("/meetings/<uuid:meeting_id>")
@api.arguments(MeetingChange(partial=True))
@api.response(200, MeetingOut)
@api.doc(security=STAFF)
@require_role("staff")
def change_meeting(data: dict[str, Any], meeting_id: Any) -> Meeting:
    """Change a meeting.

    Any of its fields; everyone registered is told, and more seats promote people waiting. Staff
    only (bearer token)."""
    return transact(meetings.change_meeting, service_context().recorder, str(meeting_id), data)


@api.post("/meetings/<uuid:meeting_id>/cancel")
@api.response(200, MeetingOut)
@api.doc(security=STAFF)
@require_role("staff")
def cancel_meeting(meeting_id: Any) -> Meeting:
    """Cancel a meeting.

    Registration closes and everyone registered is told. Staff only (bearer token)."""
    return transact(meetings.cancel_meeting, service_context().recorder, str(meeting_id), now())


@api.get("/meetings/<uuid:meeting_id>/registrations")
@api.response(200, RegistrationOut(many=True))
@api.doc(security=STAFF)
@require_role("staff")
def list_registrations(meeting_id: Any) -> list[Placed]:
    """The meeting's registrations.

    Everyone registered, waiting or cancelled, with their place in line. Staff only (bearer
    token)."""
    return in_line(transact(registrations.registrations_of, str(meeting_id)))


@api.get("/meetings/<uuid:meeting_id>/attendance.csv")
@api.response(200, description="The attendance list as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def attendance_csv(meeting_id: Any) -> Any:
    """The attendance list, as CSV.

    Who was checked in at the meeting, with their municipality. Staff only (bearer token)."""
    roll = transact(registrations.roll_of, str(meeting_id))
    return exports.attendance(roll, service_context().register)


@api.get("/meetings/<uuid:meeting_id>/registrations.csv")
@api.response(200, description="Every registration with its status, as CSV")
@api.doc(security=STAFF)
@require_role("staff")
def registrations_csv(meeting_id: Any) -> Any:
    """The registrations, as CSV.

    Every registration of the meeting with its status, for a spreadsheet. Staff only (bearer
    token)."""
    roll = transact(registrations.roll_of, str(meeting_id))
    return exports.registrations(roll, service_context().register)


@api.post("/meetings/<uuid:meeting_id>/erase-personal-data")
@api.response(200, description="How many registrations were erased")
@api.doc(security=STAFF)
@require_role("staff")
def erase_personal_data(meeting_id: Any) -> Any:
    """Erase the meeting's personal data.

    After the programme year: names and addresses are forgotten, attendance by municipality
    stays. Staff only (bearer token)."""
    return {"erased": transact(erasure.erase_personal_data, str(meeting_id), now())}


# -- registrations -----------------------------------------------------------------------


@api.post("/meetings/<uuid:meeting_id>/registrations")
@mail_limited("email")
@api.arguments(RegistrationIn)
@api.response(201, RegistrationOut)
@api.alt_response(409, description="Closed, not for this role, or already registered")
@api.alt_response(429, **REFUSED)
def register(data: dict[str, Any], meeting_id: Any) -> Placed:
    """Register for a meeting.

    A seat if one is left, else a place on the waiting list; the personal link (to view or
    cancel) is in the answer and is mailed. Open to anyone, limited per address."""
    registration = transact(
        registrations.register, service_context().recorder, str(meeting_id), data, now=now()
    )
    return Placed(registration, newcomer_position(registration))


@api.post("/meetings/<uuid:meeting_id>/link-requests")
@mail_limited("email")
@api.arguments(LinkRequestIn)
@api.response(202, description="Taken; the same answer whether the address registered or not")
@api.alt_response(429, **REFUSED)
def send_link_again(data: dict[str, Any], meeting_id: Any) -> dict[str, str]:
    """Mail the personal link again.

    Only to the address that registered for this meeting; the answer is the same whether it did
    or not, so it tells nobody who registered. Open to anyone, limited per address."""
    transact(registrations.send_link_again, str(meeting_id), data["email"])
    return {"detail": LINK_AGAIN_SENT}


@api.post("/meetings/<uuid:meeting_id>/walk-ins")
@api.arguments(WalkInIn)
@api.response(201, RegistrationOut)
@api.doc(security=STAFF)
@require_role("staff")
def walk_in(data: dict[str, Any], meeting_id: Any) -> Placed:
    """Register a walk-in.

    Someone at the door who did not register: registered and checked in at once, an e-mail
    address optional. Staff only (bearer token)."""
    return Placed(transact(door.walk_in, service_context().recorder, str(meeting_id), data, now()))


@api.get("/registrations/<uuid:registration_id>")
@api.arguments(AccessQuery, location="query")
@api.response(200, RegistrationOut)
@api.doc(security=[*STAFF, {}])
@require_access(_staff_or_owner, roles=("staff",))
def get_registration(_query: dict[str, Any], registration_id: Any) -> Placed:
    """One registration.

    Its status, place in line and links. For staff, or for the person through the token in their
    own link."""
    return transact(registrations.placed, str(registration_id))


@api.post("/registrations/<uuid:registration_id>/cancel")
@api.arguments(AccessQuery, location="query")
@api.response(200, RegistrationOut)
@api.doc(security=[*STAFF, {}])
@require_access(_staff_or_owner, roles=("staff",))
def cancel_registration(_query: dict[str, Any], registration_id: Any) -> Placed:
    """Cancel a registration.

    The `links.cancel` address; the first person waiting gets the seat. For staff, or for the
    person through the token in their own link."""
    return Placed(
        transact(
            registrations.cancel_registration,
            service_context().recorder,
            str(registration_id),
            now(),
        )
    )


@api.post("/registrations/<uuid:registration_id>/check-in")
@api.response(200, RegistrationOut)
@api.doc(security=STAFF)
@require_role("staff")
def check_in(registration_id: Any) -> Placed:
    """Check someone in.

    Marks the registration as present at the meeting, for the attendance list. Staff only
    (bearer token)."""
    return Placed(transact(door.check_in, service_context().recorder, str(registration_id), now()))


@api.delete("/registrations/<uuid:registration_id>/check-in")
@api.response(200, RegistrationOut)
@api.doc(security=STAFF)
@require_role("staff")
def undo_check_in(registration_id: Any) -> Placed:
    """Undo a check-in.

    For a check-in made by mistake. Staff only (bearer token)."""
    return Placed(transact(door.undo_check_in, service_context().recorder, str(registration_id)))


# -- signals raised at a meeting, and the ministry's answers ---------------------------------


@api.get("/meetings/<uuid:meeting_id>/signals")
@api.response(200, SignalOut(many=True))
@api.doc(security=STAFF)
@require_role("staff")
def list_signals(meeting_id: Any) -> list[MeetingSignal]:
    """The meeting's signals.

    What municipalities raised at the meeting, with the ministry's answers. Staff only (bearer
    token)."""
    return transact(signals.signals_of, str(meeting_id))


@api.post("/meetings/<uuid:meeting_id>/signals")
@require_role("staff")  # before the body is read: 401 or 403 first
@api.arguments(SignalIn)
@api.response(201, SignalOut)
@api.alt_response(409, description="The meeting was cancelled or has not started yet")
@api.doc(security=STAFF)
def record_signal(data: dict[str, Any], meeting_id: Any) -> MeetingSignal:
    """Record a signal.

    A signal municipalities raised at the meeting, written for publication (no names of people).
    Staff only (bearer token)."""
    return transact(signals.record_signal, str(meeting_id), data, now())


@api.get("/signals/<uuid:signal_id>")
@api.response(200, SignalOut)
@api.doc(security=STAFF)
@require_role("staff")
def get_signal(signal_id: Any) -> MeetingSignal:
    """One signal.

    The signal with the ministry's answer, once given. Staff only (bearer token)."""
    return transact(signals.get_signal, str(signal_id))


@api.post("/signals/<uuid:signal_id>/answer")
@require_role("staff")
@api.arguments(AnswerIn)
@api.response(200, SignalOut)
@api.alt_response(409, description="The signal has already been answered")
@api.doc(security=STAFF)
def answer_signal(data: dict[str, Any], signal_id: Any) -> MeetingSignal:
    """Answer a signal.

    The ministry's answer: mailed to everyone from a municipality who was at the meeting, and
    published as `nl.gia.registration.signal_answered`, without names of people. Staff only
    (bearer token)."""
    return transact(signals.answer_signal, service_context().recorder, str(signal_id), data, now())


# -- meetings against the plan, and registrations over time ---------------------------------


def _plan(year: int) -> PlanView:
    return transact(plan.plan_view, year, now(), service_context().register.target_group)


@api.get("/plans/<int:year>")
@api.response(200, PlanOut)
@api.alt_response(404, description="A year outside 2000-2099")
@api.doc(security=STAFF)
@require_role("staff")
def get_plan(year: int) -> PlanView:
    """The year's meetings against the plan.

    Per kind and region: meetings planned, scheduled, held (with an attendance list), ended
    without one and cancelled, and the target-group municipalities not reached yet. Staff only
    (bearer token)."""
    return _plan(year)


@api.put("/plans/<int:year>")
@require_role("staff")  # before the body is read: 401 or 403 first
@api.arguments(PlanIn)
@api.response(200, PlanOut)
@api.doc(security=STAFF)
def set_plan(data: dict[str, Any], year: int) -> PlanView:
    """Set the year's plan.

    The plan becomes exactly this, e.g. `{"gia": {"Noorden": 2, ...}, "raad_voor_raad":
    {"Noorden": 1, ...}}`; regions left out plan none. Staff only (bearer token)."""
    transact(plan.set_plan, year, data)
    return _plan(year)


@api.get("/meetings/<uuid:meeting_id>/timeline")
@api.response(200, TimelineOut)
@api.doc(security=STAFF)
@require_role("staff")
def meeting_timeline(meeting_id: Any) -> Timeline:
    """A meeting's registrations over time.

    Registrations and cancellations per day (Amsterdam time) and in total, beside the seats.
    Staff only (bearer token)."""
    return transact(timeline.meeting_timeline, str(meeting_id))


@api.get("/timeline")
@api.arguments(TimelineQuery, location="query")
@api.response(200, TimelineOut)
@api.doc(security=STAFF)
@require_role("staff")
def registrations_timeline(query: dict[str, Any]) -> Timeline:
    """Registrations over time.

    The same over the meetings of a kind, region and/or programme year (not cancelled). Staff
    only (bearer token)."""
    return transact(timeline.timeline, **query)
