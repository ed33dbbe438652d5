"""The only place the praktijkteam API parses input, and what it shows to whom.

The municipality's view (``RequestView``) and the staff's view
(``StaffRequestView``) are separate schemas: internal notes, who did what and
the team's e-mail addresses exist only in the staff's, so the municipality's
can never show them.
"""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from services.practiceteam.access import attachment_link, attachment_path, tracking_links
from services.practiceteam.domain import TEAM_ROLES, Status, allowed_next, why_lead_wrong
from services.practiceteam.requests import SORTS
from shared.municipalities import REGIONS
from shared.themes import THEMES
from shared.web.fields import Day, Moment, MunicipalityField
from shared.web.service import service_context

STATUSES = [status.value for status in Status]


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("May not be empty.")


def text(max_length: int, **kwargs: Any) -> fields.String:
    """Free text that says something: required unless told otherwise, never only spaces."""
    kwargs.setdefault("required", True)
    return fields.String(validate=[validate.Length(max=max_length), not_blank], **kwargs)


class UuidText(fields.UUID):
    """A UUID, kept as the text the database stores ids as."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs))


# -- input -------------------------------------------------------------------------------


class ContactIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    phone = fields.String(
        required=True,
        validate=[
            validate.Length(min=6, max=40),
            validate.Regexp(r"^[0-9+()\- ]+$", error="Digits, spaces, +, - and () only."),
        ],
    )
    function = fields.String(required=True, validate=validate.Length(min=2, max=200))


class RequestIn(Schema):
    municipality_codes = fields.List(
        MunicipalityField(), required=True, validate=validate.Length(min=1, max=50)
    )
    lead_municipality_code = MunicipalityField(
        load_default=None,
        metadata={
            "description": "The lead municipality, by CBS code or name; required when the "
            "request is for more than one municipality"
        },
    )
    contact = fields.Nested(ContactIn, required=True)
    question = text(10_000, metadata={"description": "The question, in the municipality's words"})
    themes = fields.List(
        fields.String(validate=validate.OneOf(THEMES)),
        required=True,
        validate=validate.Length(min=1, max=len(THEMES)),
    )
    tried = fields.String(load_default="", validate=validate.Length(max=10_000))
    desired_period = fields.String(load_default="", validate=validate.Length(max=200))

    @validates("municipality_codes")
    def _each_once(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Name each municipality once.")

    @validates_schema
    def _lead_among_them(self, data: dict[str, Any], **_: Any) -> None:
        reason = why_lead_wrong(data["municipality_codes"], data.get("lead_municipality_code"))
        if reason:
            raise ValidationError(reason, "lead_municipality_code")


class PlannedDateIn(Schema):
    date = Day(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=200))


class TransitionIn(Schema):
    to = fields.String(required=True, validate=validate.OneOf(STATUSES))
    note = fields.String(load_default=None, validate=validate.Length(max=5000))
    version = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1),
        metadata={"description": "The version you saw; refused (409) if the request moved since"},
    )
    reason = text(5000, required=False, metadata={"description": "For declined"})
    dates = fields.List(
        fields.Nested(PlannedDateIn),
        validate=validate.Length(min=1, max=30),
        metadata={"description": "For planned"},
    )
    report = text(20_000, required=False, metadata={"description": "For completed"})
    agreements = text(20_000, required=False, metadata={"description": "For completed"})


class WithdrawIn(Schema):
    note = fields.String(load_default=None, validate=validate.Length(max=5000))


class EvaluationIn(Schema):
    score = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = fields.String(load_default="", validate=validate.Length(max=5000))


class MessageIn(Schema):
    body = text(10_000)
    in_reply_to = UuidText(load_default=None, metadata={"description": "The question answered"})


class NoteIn(Schema):
    body = text(10_000)


class AssignmentIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(load_default="member", validate=validate.OneOf(TEAM_ROLES))


class SignalIn(Schema):
    summary = fields.String(required=True, validate=validate.Length(min=3, max=200))
    body = text(10_000)
    themes = fields.List(
        fields.String(validate=validate.OneOf(THEMES)),
        load_default=list,
        metadata={"description": "Default: the request's themes"},
    )
    shareable = fields.Boolean(
        load_default=False, metadata={"description": "May be shown to every municipality"}
    )


class ErasureIn(Schema):
    """The staff page's erase button goes with a tick that says what is erased."""

    confirm = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="Confirm the erasure first."),
        error_messages={"required": "Confirm the erasure first."},
    )


class UploadIn(Schema):
    file = Upload(required=True)


class AccessQuery(Schema):
    token = fields.String(load_default=None, metadata={"description": "From the tracking link"})


class QueueQuery(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    theme = fields.String(validate=validate.OneOf(THEMES))
    region = fields.String(validate=validate.OneOf(REGIONS))
    target_group = fields.Boolean()
    # Bounded so that the dates and the offset they make stay within what Python and the
    # database can count: a century back, a hundred thousand pages on.
    older_than_days = fields.Integer(validate=validate.Range(min=0, max=36_500))
    overdue = fields.Boolean(metadata={"description": "Waiting for intake too long"})
    sort = fields.String(load_default="target_group", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=100))


class SignalQuery(Schema):
    theme = fields.String(validate=validate.OneOf(THEMES))


# -- what the municipality sees ----------------------------------------------------------


class ContactView(Schema):
    name = fields.String()
    email = fields.String()
    phone = fields.String()
    function = fields.String()


class TransitionView(Schema):
    from_status = fields.String(data_key="from", allow_none=True)
    to = fields.String(attribute="to_status")
    actor = fields.String()
    note = fields.String(allow_none=True)
    at = Moment()


class MessageView(Schema):
    id = fields.UUID()
    actor = fields.String()
    kind = fields.String()
    in_reply_to = fields.UUID(allow_none=True)
    body = fields.String()
    created_at = Moment()


class MemberView(Schema):
    name = fields.String()
    role = fields.String()


class DateView(Schema):
    date = fields.Date(attribute="day")
    description = fields.String()


class AttachmentView(Schema):
    id = fields.UUID()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    actor = fields.String()
    created_at = Moment()
    erased_at = Moment(allow_none=True, metadata={"description": "The file is gone since then"})
    href = fields.Function(
        lambda a: attachment_link(service_context().settings, a.request_id, a.id),
        metadata={"description": "GET: the document, through the tracking link's token"},
    )


class SignalView(Schema):
    id = fields.UUID()
    summary = fields.String()
    body = fields.String()
    themes = fields.List(fields.String())
    created_at = Moment()


class NextStepView(Schema):
    step = fields.String(metadata={"description": "intake, decision, planning, start, report"})
    expected_on = fields.Date()


class EvaluationView(Schema):
    score = fields.Integer()
    comment = fields.String()
    at = Moment()


class RequestSummary(Schema):
    id = fields.UUID()
    status = fields.String()
    version = fields.Integer()
    municipality_codes = fields.List(fields.String())
    lead_municipality_code = fields.String()
    target_group = fields.Boolean(metadata={"description": "A municipality in the target group"})
    regions = fields.List(fields.String())
    themes = fields.List(fields.String())
    created_at = Moment()
    status_changed_at = Moment()
    overdue = fields.Boolean(metadata={"description": "Waiting for intake over 10 working days"})
    next_step = fields.Nested(NextStepView, allow_none=True)
    erased_at = Moment(
        allow_none=True,
        metadata={"description": "When the personal data was erased; null while it is kept"},
    )
    team = fields.List(fields.Nested(MemberView))


class RequestView(RequestSummary):
    contact = fields.Nested(ContactView)
    question = fields.String()
    tried = fields.String()
    desired_period = fields.String()
    decline_reason = fields.String(allow_none=True)
    dates = fields.List(fields.Nested(DateView))
    report = fields.String(allow_none=True)
    agreements = fields.String(allow_none=True)
    evaluation = fields.Nested(EvaluationView, allow_none=True)
    history = fields.List(fields.Nested(TransitionView))
    messages = fields.List(fields.Nested(MessageView))
    attachments = fields.List(fields.Nested(AttachmentView))
    signals = fields.List(fields.Nested(SignalView), attribute="shareable_signals")
    links = fields.Function(
        lambda r: tracking_links(service_context().settings, r.id),
        metadata={"description": "tracking: the municipality's page; self: this view in the API"},
    )


# -- what staff see as well -------------------------------------------------------------------


class StaffTransitionView(TransitionView):
    by = fields.String(allow_none=True)


class StaffMessageView(MessageView):
    by = fields.String(allow_none=True)


class StaffMemberView(MemberView):
    id = fields.UUID()
    email = fields.String()
    by = fields.String()
    assigned_at = Moment()


class StaffAttachmentView(AttachmentView):
    by = fields.String(allow_none=True)
    sha256 = fields.String()
    href = fields.Function(
        lambda a: attachment_path(a.request_id, a.id),
        metadata={"description": "GET with a staff token"},
    )


class StaffSignalView(SignalView):
    shareable = fields.Boolean()
    by = fields.String()


class NoteView(Schema):
    id = fields.UUID()
    by = fields.String()
    body = fields.String()
    created_at = Moment()


class StaffRequestView(RequestView):
    allowed_next = fields.Function(lambda r: allowed_next(Status(r.status)))
    team = fields.List(fields.Nested(StaffMemberView))
    history = fields.List(fields.Nested(StaffTransitionView))
    messages = fields.List(fields.Nested(StaffMessageView))
    attachments = fields.List(fields.Nested(StaffAttachmentView))
    signals = fields.List(fields.Nested(StaffSignalView))
    notes = fields.List(fields.Nested(NoteView), metadata={"description": "Staff only"})


class QueueOut(Schema):
    items = fields.List(fields.Nested(RequestSummary))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class MemberLoadOut(Schema):
    email = fields.String()
    name = fields.String()
    months = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Requests held per month (YYYY-MM)"},
    )
    unplanned = fields.Integer(metadata={"description": "Requests held without dates yet"})
