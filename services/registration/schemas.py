"""The registration API's schemas: the only place it parses input, and what it answers."""

from __future__ import annotations

from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_dump,
    validate,
    validates_schema,
)

from services.registration import MANIFEST
from services.registration.access import personal_links
from services.registration.domain import KINDS, PROGRAMME_YEARS, ROLES, why_times_wrong
from services.registration.models import Registration
from shared.municipalities import REGIONS
from shared.themes import THEMES
from shared.web.fields import Moment, MunicipalityField
from shared.web.service import service_context


class MeetingIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = fields.String(required=True, validate=validate.Length(min=3, max=200))
    region = fields.String(required=True, validate=validate.OneOf(REGIONS))
    venue = fields.String(required=True, validate=validate.Length(min=2, max=200))
    address = fields.String(load_default=None, validate=validate.Length(max=300))
    starts_at = Moment(required=True)
    ends_at = Moment(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=5000))
    registration_deadline = Moment(required=True)
    themes = fields.List(
        fields.String(validate=validate.OneOf(THEMES)),
        load_default=list,
        validate=validate.Length(max=16),
    )
    counts_for_participation = fields.Boolean(load_default=True)
    guide_presented = fields.Boolean(load_default=False)
    organiser = fields.String(
        load_default=None,
        validate=validate.Length(min=2, max=200),
        metadata={"description": "Who organises it: a CMO, FORUM, the ministry, ..."},
    )
    host_municipality_code = MunicipalityField(load_default=None)
    admits_aldermen = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Raad voor Raad: aldermen may register as well as council members"
        },
    )

    @validates_schema
    def _times_in_order(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        if partial:
            return  # a change is checked on the meeting it makes, see meetings.change_meeting
        wrong = why_times_wrong(data["starts_at"], data["ends_at"], data["registration_deadline"])
        if wrong:
            raise ValidationError(wrong[1], wrong[0])


class MeetingChange(MeetingIn):
    """Any of a meeting's fields (loaded with ``partial=True``)."""


class MeetingOut(MeetingIn):
    id = fields.UUID()
    seats_left = fields.Integer()
    waiting = fields.Integer(metadata={"description": "People on the waiting list"})
    cancelled_at = Moment(allow_none=True)


class MeetingQuery(Schema):
    region = fields.String(validate=validate.OneOf(REGIONS))
    kind = fields.String(validate=validate.OneOf(KINDS))
    theme = fields.String(validate=validate.OneOf(THEMES))


class RegistrationIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    municipality_code = MunicipalityField(load_default=None)
    organisation = fields.String(load_default=None, validate=validate.Length(max=200))

    @validates_schema
    def _from_somewhere(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("municipality_code") and not data.get("organisation"):
            raise ValidationError(
                "Give a municipality_code or an organisation.", "municipality_code"
            )


class LinkRequestIn(Schema):
    """Who asks for their personal link again: the address they registered with."""

    email = fields.Email(required=True, validate=validate.Length(max=254))


class Links(Schema):
    """The person's own links, made from their registration."""

    self = fields.Url(metadata={"description": "The person's own page (view or cancel)"})
    cancel = fields.Url(metadata={"description": "POST here to cancel"})

    @pre_dump
    def _of(self, registration: Registration, **_: Any) -> dict[str, str]:
        settings = service_context().settings
        return personal_links(MANIFEST.public_url(settings), settings.secret_key, registration.id)


class WalkInIn(RegistrationIn):
    """Someone at the door: staff may not get an e-mail address, and need none to let them in."""

    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))


class RegistrationOut(Schema):
    """A ``Placed`` registration: its own fields, with its place in line beside them."""

    id = fields.UUID(attribute="registration.id")
    meeting_id = fields.UUID(attribute="registration.meeting_id")
    status = fields.String(attribute="registration.status")
    waitlist_position = fields.Integer(allow_none=True)
    name = fields.String(allow_none=True, attribute="registration.name")
    email = fields.String(allow_none=True, attribute="registration.email")
    role = fields.String(attribute="registration.role")
    municipality_code = fields.String(allow_none=True, attribute="registration.municipality_code")
    organisation = fields.String(allow_none=True, attribute="registration.organisation")
    walk_in = fields.Boolean(attribute="registration.walk_in")
    checked_in_at = Moment(allow_none=True, attribute="registration.checked_in_at")
    cancelled_at = Moment(allow_none=True, attribute="registration.cancelled_at")
    created_at = Moment(attribute="registration.created_at")
    links = fields.Nested(Links, attribute="registration")


class AccessQuery(Schema):
    token = fields.String(load_default=None)


# -- signals raised at a meeting ------------------------------------------------------------

# For publication: text that says something, not only spaces.
SAYS_SOMETHING = validate.Regexp(r"\S", error="May not be empty.")


class SignalIn(Schema):
    """A signal as staff write it for publication: themes, text and the municipalities that
    raised it, never names of people."""

    themes = fields.List(
        fields.String(validate=validate.OneOf(THEMES)),
        required=True,
        validate=validate.Length(
            min=1, max=len(THEMES), error="Choose between {min} and {max} themes."
        ),
    )
    text = fields.String(required=True, validate=[validate.Length(min=3, max=5000), SAYS_SOMETHING])
    municipality_codes = fields.List(
        MunicipalityField(),
        required=True,
        validate=validate.Length(
            min=1, max=50, error="Name between {min} and {max} municipalities."
        ),
        metadata={"description": "The municipalities that raised it"},
    )

    @post_load
    def _each_once(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """A municipality ticked and also typed (by name or code) raised it once."""
        data["municipality_codes"] = list(dict.fromkeys(data["municipality_codes"]))
        return data


class AnswerIn(Schema):
    answer = fields.String(
        required=True,
        validate=[validate.Length(min=3, max=10_000), SAYS_SOMETHING],
        metadata={"description": "The ministry's answer, for publication"},
    )


class SignalOut(SignalIn):
    id = fields.UUID()
    meeting_id = fields.UUID()
    recorded_at = Moment()
    answer = fields.String(allow_none=True)
    answered_at = Moment(allow_none=True)
    mailed_to = fields.Integer(
        metadata={"description": "How many people who were at the meeting were mailed the answer"}
    )


# -- the plan and registrations over time --------------------------------------------------------


class Count(fields.Integer):
    """A whole number: 1.5 is refused, where a plain Integer would quietly make it 1."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid")
        return super()._validated(value)


def _per_region() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(validate=validate.OneOf(REGIONS)),
        values=Count(required=True, validate=validate.Range(min=0, max=100)),
        load_default=dict,
        metadata={"description": "Meetings planned per region; regions left out plan none"},
    )


class PlanIn(Schema):
    """A programme year's plan: per kind, the meetings planned per region."""

    gia = _per_region()
    raad_voor_raad = _per_region()


class TallyOut(Schema):
    region = fields.String(allow_none=True)
    planned = fields.Integer()
    scheduled = fields.Integer(metadata={"description": "Not yet over and not cancelled"})
    held = fields.Integer(metadata={"description": "Over, with at least one person checked in"})
    ended_without_attendance = fields.Integer(
        metadata={"description": "Over, but nobody was checked in"}
    )
    cancelled = fields.Integer()
    to_schedule = fields.Integer(metadata={"description": "Planned but not yet scheduled"})


class KindTallyOut(TallyOut):
    """A kind's totals over all regions, with each region beside them."""

    class Meta:
        exclude = ("region",)

    kind = fields.String()
    regions = fields.List(fields.Nested(TallyOut))


class MunicipalityOut(Schema):
    code = fields.String()
    name = fields.String()
    region = fields.String()


class PlanOut(Schema):
    year = fields.Integer()
    kinds = fields.List(fields.Nested(KindTallyOut))
    target_group = fields.Integer(metadata={"description": "Municipalities in the target group"})
    unreached = fields.List(
        fields.Nested(MunicipalityOut),
        metadata={
            "description": "Target-group municipalities nobody was checked in from at a "
            "meeting of this year"
        },
    )


class TimelineQuery(Schema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    region = fields.String(validate=validate.OneOf(REGIONS))
    year = fields.Integer(
        validate=validate.Range(min=PROGRAMME_YEARS.start, max=PROGRAMME_YEARS.stop - 1),
        metadata={"description": "Programme year: meetings starting in it (Dutch calendar)"},
    )


class DayOut(Schema):
    date = fields.Date(attribute="day", metadata={"description": "Calendar day in Amsterdam"})
    registered = fields.Integer()
    cancelled = fields.Integer()
    registered_total = fields.Integer()
    cancelled_total = fields.Integer()
    active = fields.Integer(metadata={"description": "Registered and not cancelled so far"})


class TimelineOut(Schema):
    meeting_id = fields.UUID(allow_none=True, metadata={"description": "For one meeting"})
    kind = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    meetings = fields.Integer(metadata={"description": "Meetings counted (not cancelled ones)"})
    capacity = fields.Integer(metadata={"description": "Their seats together"})
    registered = fields.Integer()
    cancelled = fields.Integer()
    active = fields.Integer()
    days = fields.List(
        fields.Nested(DayOut),
        metadata={"description": "Days on which people registered or cancelled, oldest first"},
    )
