"""Every event type the services publish, with the schema of its ``data``.

Event data carry municipality codes, never names or e-mail addresses: personal
data stays in the service that collected it.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MUNICIPALITY_CODE = validate.Regexp(r"^GM\d{4}$", error="Not a CBS municipality code (GM0000).")


class MeetingScheduled(Schema):
    meeting_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["gia", "raad_voor_raad"]))
    region = fields.String(required=True)
    themes = fields.List(fields.String(), required=True)
    starts_at = fields.AwareDateTime(required=True)
    capacity = fields.Integer(required=True)
    counts_for_participation = fields.Boolean(required=True)
    guide_presented = fields.Boolean(required=True)


class MeetingCancelled(Schema):
    meeting_id = fields.UUID(required=True)


SURVEY_USES = ("discussed", "policy", "sector_paragraph", "projects", "other", "planned")


class SurveyAnswered(Schema):
    """A municipality's answer to the indicators' monitor survey (evaluation, Tables 3 and 5)."""

    answer_id = fields.UUID(required=True)
    municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)
    knows_guide = fields.Boolean(required=True)
    read_guide = fields.Boolean(required=True)
    uses = fields.List(fields.String(validate=validate.OneOf(SURVEY_USES)), required=True)
    other_use = fields.String(allow_none=True, validate=validate.Length(max=500))
    number = fields.Integer(
        validate=validate.Range(min=1),
        metadata={"description": "The municipality's n-th answer: orders answers of one time"},
    )


class Registered(Schema):
    """Registered, waitlisted, promoted and cancelled: a registration's new status."""

    registration_id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(["confirmed", "waitlisted", "cancelled"])
    )
    role = fields.String(required=True)
    municipality_code = fields.String(allow_none=True, validate=MUNICIPALITY_CODE)


class Attendance(Schema):
    """Attended and attendance revoked: enough to roll attendance up to the municipality."""

    registration_id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    municipality_code = fields.String(allow_none=True, validate=MUNICIPALITY_CODE)
    role = fields.String(required=True)
    counts_for_participation = fields.Boolean(required=True)
    guide_presented = fields.Boolean(required=True)


PRACTICETEAM_STATUSES = (
    "submitted",
    "intake",
    "accepted",
    "declined",
    "planned",
    "in_progress",
    "completed",
    "closed",
    "withdrawn",
)


class PracticeteamRequest(Schema):
    """A praktijkteam request's new status: which municipalities, on which themes.

    Never the contact person, the question in their words, or the ministry's
    internal notes.
    """

    request_id = fields.UUID(required=True)
    status = fields.String(required=True, validate=validate.OneOf(PRACTICETEAM_STATUSES))
    previous_status = fields.String(allow_none=True, validate=validate.OneOf(PRACTICETEAM_STATUSES))
    municipality_codes = fields.List(
        fields.String(validate=MUNICIPALITY_CODE), required=True, validate=validate.Length(min=1)
    )
    lead_municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)
    themes = fields.List(fields.String(), required=True)
    planned_dates = fields.List(fields.Date())
    evaluation_score = fields.Integer(validate=validate.Range(min=1, max=5))


class EntrantSignedUp(Schema):
    """A council member confirmed their sign-up for the essay contest: only where from."""

    contest_id = fields.UUID(required=True)
    municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)


class EssayEntry(Schema):
    """An essay submitted (again, when revised) or withdrawn: its authors' municipalities,
    never their names, nor the essay itself."""

    contest_id = fields.UUID(required=True)
    entry_id = fields.UUID(required=True)
    municipality_codes = fields.List(
        fields.String(validate=MUNICIPALITY_CODE), required=True, validate=validate.Length(min=1)
    )
    word_count = fields.Integer(required=True)
    revision = fields.Integer(required=True)


class Winner(Schema):
    entry_id = fields.UUID(required=True)
    place = fields.Integer(required=True, validate=validate.Range(min=1))
    municipality_codes = fields.List(fields.String(validate=MUNICIPALITY_CODE), required=True)


class WinnersAnnounced(Schema):
    contest_id = fields.UUID(required=True)
    entries = fields.Integer(required=True, metadata={"description": "Entries submitted"})
    winners = fields.List(fields.Nested(Winner), required=True)


class SignalAnswered(Schema):
    """A signal municipalities raised at a meeting, with the ministry's answer, both as staff
    wrote them for publication: which municipalities raised it and on what themes, never
    who was there or who was told."""

    signal_id = fields.UUID(required=True)
    meeting_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["gia", "raad_voor_raad"]))
    region = fields.String(required=True)
    held_on = fields.Date(required=True, metadata={"description": "The meeting's day"})
    themes = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    municipality_codes = fields.List(
        fields.String(validate=MUNICIPALITY_CODE), required=True, validate=validate.Length(min=1)
    )
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    answer = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
    answered_at = fields.AwareDateTime(required=True)


class GuideDownloaded(Schema):
    """An official of the municipality downloaded a guide: the guide and which of its
    documents (an edition, or an item of its toolbox), never who downloaded it."""

    download_id = fields.UUID(required=True)
    municipality_code = fields.String(required=True, validate=MUNICIPALITY_CODE)
    guide_id = fields.UUID(required=True)
    guide_slug = fields.String(required=True, validate=validate.Length(min=1, max=80))
    edition = fields.Integer(
        required=True,
        allow_none=True,
        validate=validate.Range(min=1),
        metadata={"description": "The edition's number; null for a toolbox item"},
    )
    toolbox_item_id = fields.UUID(required=True, allow_none=True)
    counts_for_awareness = fields.Boolean(
        required=True,
        metadata={"description": "Staff count this guide as the new guide of the 2012 targets"},
    )


MEETING_SCHEDULED = "nl.gia.registration.meeting_scheduled"
MEETING_CHANGED = "nl.gia.registration.meeting_changed"
MEETING_CANCELLED = "nl.gia.registration.meeting_cancelled"
REGISTERED = "nl.gia.registration.registered"
WAITLISTED = "nl.gia.registration.waitlisted"
PROMOTED = "nl.gia.registration.promoted"
REGISTRATION_CANCELLED = "nl.gia.registration.cancelled"
ATTENDED = "nl.gia.registration.attended"
ATTENDANCE_REVOKED = "nl.gia.registration.attendance_revoked"
SIGNAL_ANSWERED = "nl.gia.registration.signal_answered"
ESSAY_SIGNED_UP = "nl.gia.essay.signed_up"
ESSAY_SUBMITTED = "nl.gia.essay.submitted"
ESSAY_WITHDRAWN = "nl.gia.essay.withdrawn"
ESSAY_WINNERS_ANNOUNCED = "nl.gia.essay.winners_announced"
SURVEY_ANSWERED = "nl.gia.indicators.survey_answered"
GUIDE_DOWNLOADED = "nl.gia.guide.downloaded"
# Every move of a praktijkteam request publishes one: nl.gia.practiceteam.<new status>.
PRACTICETEAM_EVENTS: dict[str, str] = {
    status: f"nl.gia.practiceteam.{status}" for status in PRACTICETEAM_STATUSES
}

CATALOGUE: dict[str, type[Schema]] = {
    MEETING_SCHEDULED: MeetingScheduled,
    MEETING_CHANGED: MeetingScheduled,
    MEETING_CANCELLED: MeetingCancelled,
    REGISTERED: Registered,
    WAITLISTED: Registered,
    PROMOTED: Registered,
    REGISTRATION_CANCELLED: Registered,
    ATTENDED: Attendance,
    ATTENDANCE_REVOKED: Attendance,
    SIGNAL_ANSWERED: SignalAnswered,
    ESSAY_SIGNED_UP: EntrantSignedUp,
    ESSAY_SUBMITTED: EssayEntry,
    ESSAY_WITHDRAWN: EssayEntry,
    ESSAY_WINNERS_ANNOUNCED: WinnersAnnounced,
    SURVEY_ANSWERED: SurveyAnswered,
    GUIDE_DOWNLOADED: GuideDownloaded,
    **dict.fromkeys(PRACTICETEAM_EVENTS.values(), PracticeteamRequest),
}


def _published_by(service: str, *event_types: str) -> dict[str, str]:
    return dict.fromkeys(event_types, service)


# The one service that publishes each type, whose ``Settings.event_source`` an event of that
# type must carry; its broker user may publish only these routing keys (deploy/rabbitmq).
PRODUCERS: dict[str, str] = {
    **_published_by(
        "registration",
        MEETING_SCHEDULED,
        MEETING_CHANGED,
        MEETING_CANCELLED,
        REGISTERED,
        WAITLISTED,
        PROMOTED,
        REGISTRATION_CANCELLED,
        ATTENDED,
        ATTENDANCE_REVOKED,
        SIGNAL_ANSWERED,
    ),
    **_published_by(
        "essay_contest",
        ESSAY_SIGNED_UP,
        ESSAY_SUBMITTED,
        ESSAY_WITHDRAWN,
        ESSAY_WINNERS_ANNOUNCED,
    ),
    # Taken into the indicators' own inbox in the answer's transaction, never over the broker.
    **_published_by("indicators", SURVEY_ANSWERED),
    **_published_by("guide", GUIDE_DOWNLOADED),
    **_published_by("practiceteam", *PRACTICETEAM_EVENTS.values()),
}
