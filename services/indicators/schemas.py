"""The only place the indicators API parses input, and what it answers with."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from services.indicators.appreciation import GROUPINGS, QUESTIONS, Question, answered_only
from services.indicators.figures import ALL, DIMENSIONS, TARGET_GROUP
from services.indicators.rules import ACTIVITY, INDICATORS
from shared.events.catalogue import SURVEY_USES
from shared.municipalities import Municipality
from shared.web.fields import Moment, MunicipalityField
from shared.web.service import now

# Every municipality of the register several times over; a bigger list is a mistake.
MAX_INVITATIONS = 2000
# A first line naming the columns, as spreadsheets export it, is no invitation.
HEADERS = {"gemeentecode", "gemeente", "municipality_code", "code"}


class IndicatorsQuery(Schema):
    scope = fields.String(load_default=TARGET_GROUP, validate=validate.OneOf([TARGET_GROUP, ALL]))
    group_by = fields.String(load_default=None, validate=validate.OneOf(list(DIMENSIONS)))


class FigureOut(Schema):
    indicator = fields.String(
        metadata={"description": f"One of {', '.join(INDICATORS)} (or {ACTIVITY}, never counted)"}
    )
    numerator = fields.Integer(metadata={"description": "Municipalities with evidence"})
    denominator = fields.Integer(metadata={"description": "Municipalities in the scope or group"})
    value = fields.Float()
    target = fields.Float()
    gap = fields.Float(metadata={"description": "Target minus value, never below 0"})
    reached = fields.Boolean()
    newest_event_at = Moment(
        allow_none=True, metadata={"description": "Time of the newest event counted"}
    )


class GroupOut(Schema):
    group = fields.String(attribute="name")
    indicators = fields.List(fields.Nested(FigureOut), attribute="figures")


class IndicatorsOut(Schema):
    """An overview, as of the moment it was read."""

    as_of = Moment(dump_default=now)
    scope = fields.String()
    group_by = fields.String(allow_none=True)
    indicators = fields.List(fields.Nested(FigureOut), attribute="figures")
    groups = fields.List(fields.Nested(GroupOut))
    outside_target_group = fields.List(
        fields.Nested(FigureOut),
        attribute="outside",
        metadata={"description": "Municipalities outside the target group, never in its figures"},
    )
    activity = fields.Nested(FigureOut)


class EarlierOut(Schema):
    """A 2008-2011 figure of the evaluation, with where it is printed."""

    value = fields.Float(metadata={"description": "Share, 0 to 1"})
    percentage = fields.Integer(metadata={"description": "As printed, in whole percents"})
    numerator = fields.Integer(
        allow_none=True, metadata={"description": "Municipalities counted (attendance lists)"}
    )
    denominator = fields.Integer(allow_none=True, metadata={"description": "Out of how many"})
    basis = fields.String(metadata={"description": "What the share is of"})
    source = fields.String(metadata={"description": "Evaluation, table and page"})
    note = fields.String()


class ComparedOut(Schema):
    indicator = fields.String()
    group = fields.String(metadata={"description": "Region or band; empty for all"})
    earlier = fields.Nested(EarlierOut, allow_none=True, metadata={"description": "2008-2011"})
    all_municipalities = fields.Nested(
        FigureOut,
        attribute="everyone",
        metadata={"description": "2012, every municipality of the register, as 2008-2011 counted"},
    )
    target_group = fields.Nested(FigureOut, metadata={"description": "2012, the target group"})


class ComparisonOut(Schema):
    """The evaluation of 2008-2011 beside the live figures of 2012."""

    as_of = Moment(dump_default=now)
    title = fields.String(metadata={"description": "The data file of the 2008-2011 figures"})
    version = fields.String()
    date = fields.String()
    source = fields.String()
    note = fields.String()
    programme_then = fields.String()
    programme_now = fields.String()
    indicators = fields.List(fields.Nested(ComparedOut))
    regions = fields.List(
        fields.Nested(ComparedOut), metadata={"description": "Participation (table 4)"}
    )
    bands = fields.List(fields.Nested(ComparedOut), metadata={"description": "Awareness (table 3)"})


class EvidenceOut(Schema):
    indicator = fields.String()
    basis = fields.String(metadata={"description": "What it rests on: an attendance, a survey"})
    holds = fields.Boolean()
    given_at = Moment(allow_none=True)
    given_by = fields.String(allow_none=True, metadata={"description": "Event id"})
    given_type = fields.String(allow_none=True)
    withdrawn_at = Moment(allow_none=True)
    withdrawn_by = fields.String(allow_none=True, metadata={"description": "Event id"})
    withdrawn_type = fields.String(allow_none=True)
    links = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "event: what gave it (or withdrew it); withdrawn_event"},
    )


class MunicipalityOut(Schema):
    """A municipality's explanation: the municipality, its standing and its evidence."""

    code = fields.String(attribute="municipality.code")
    name = fields.String(attribute="municipality.name")
    province = fields.String(attribute="municipality.province")
    region = fields.String(attribute="municipality.region")
    band = fields.String(attribute="municipality.band")
    non_western_pct = fields.Float(attribute="municipality.non_western_pct")
    in_target_group = fields.Boolean(attribute="municipality.in_target_group")
    counts_for = fields.Dict(keys=fields.String(), values=fields.Boolean())
    evidence = fields.List(fields.Nested(EvidenceOut))


class WhomToApproach(fields.Dict):
    """A municipality by code, name and region: enough to know whom to approach, and where."""

    def _serialize(
        self, value: Municipality, attr: str | None, obj: Any, **_: Any
    ) -> dict[str, str]:
        return {"code": value.code, "name": value.name, "region": value.region}


class MissingOut(Schema):
    indicator = fields.String()
    municipalities = fields.List(WhomToApproach())


class EventOut(Schema):
    id = fields.String()
    type = fields.String()
    source = fields.String()
    subject = fields.String()
    time = Moment()
    data = fields.Dict()
    received_at = Moment()


class _Survey(Schema):
    """The monitor survey: awareness and use (evaluation, Tables 3 and 5)."""

    knows_guide = fields.Boolean(required=True)
    read_guide = fields.Boolean(load_default=False)
    uses = fields.List(
        fields.String(validate=validate.OneOf(SURVEY_USES)),
        load_default=list,
        validate=validate.Length(max=len(SURVEY_USES)),
    )
    other_use = fields.String(load_default=None, validate=validate.Length(max=500))

    @validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        if "other" in data["uses"] and not data.get("other_use"):
            raise ValidationError("Say how the guide was used otherwise.", "other_use")
        if len(set(data["uses"])) != len(data["uses"]):
            raise ValidationError("Name each way of use once.", "uses")

    @post_load
    def _answered(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return answered_only(data)


def _asked_again(question: Question) -> fields.Field:
    """One of the evaluation's questions (Tables 6-11), in its words and on its scale; optional,
    so clients that know only awareness and use keep working."""
    options = validate.OneOf([option.key for option in question.options])
    described = {"description": f"{question.evaluated.title} ({question.source})"}
    if not question.statements:
        return fields.String(
            load_default=None, allow_none=True, validate=options, metadata=described
        )
    statements = {
        item.key: fields.String(
            allow_none=True, validate=options, metadata={"description": item.label}
        )
        for item in question.items
    }
    name = "".join(part.title() for part in question.field.split("_"))
    nested = Schema.from_dict(statements, name=name)
    return fields.Nested(nested, load_default=None, allow_none=True, metadata=described)


#: The monitor survey: awareness and use, and what the evaluation also asked (Tables 6-11).
SurveyIn = _Survey.from_dict(
    {question.field: _asked_again(question) for question in QUESTIONS}, name="SurveyIn"
)


class SurveyOut(SurveyIn):
    id = fields.String()
    municipality_code = fields.String()
    answered_at = Moment()
    event_id = fields.String()


class AppreciationQuery(Schema):
    group_by = fields.String(load_default="band", validate=validate.OneOf(GROUPINGS))


class CountOut(Schema):
    label = fields.String()
    municipalities = fields.Integer()
    counted = fields.Integer()
    percentage = fields.Integer(metadata={"description": "As printed, in whole percents"})


class RespondentsOut(Schema):
    group = fields.String()
    municipalities = fields.Integer()
    answered = fields.Integer(metadata={"description": "Municipalities whose latest answer it is"})
    value = fields.Float()
    earlier = fields.Nested(
        CountOut, allow_none=True, metadata={"description": "Response in 2011 (table 1)"}
    )


class OptionOut(Schema):
    key = fields.String()
    label = fields.String(metadata={"description": "In the evaluation's words"})
    group = fields.String(metadata={"description": "The Ja or Nee it details (table 9)"})


class TallyOut(Schema):
    group = fields.String()
    answered = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    shares = fields.Dict(keys=fields.String(), values=fields.Float())


class ItemOut(Schema):
    key = fields.String()
    label = fields.String()
    groups = fields.List(fields.Nested(TallyOut), attribute="tallies")
    earlier = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        metadata={"description": "2011 in whole percents as printed, per group given (total)"},
    )


class QuestionOut(Schema):
    question = fields.String(attribute="field", metadata={"description": "The survey's field"})
    table = fields.Integer(metadata={"description": "The evaluation's table"})
    title = fields.String()
    source = fields.String()
    options = fields.List(fields.Nested(OptionOut))
    items = fields.List(fields.Nested(ItemOut))


class AppreciationOut(Schema):
    """The survey's latest answers per band or region, beside the evaluation's tables 6-11."""

    as_of = Moment(dump_default=now)
    group_by = fields.String()
    groups = fields.List(fields.String())
    respondents = fields.List(fields.Nested(RespondentsOut))
    response_source = fields.String()
    questions = fields.List(fields.Nested(QuestionOut))


class TokenQuery(Schema):
    token = fields.String(load_default=None, validate=validate.Length(max=300))


class InvitationIn(Schema):
    """One municipal official to invite to the survey; a list is checked as a whole."""

    municipality_code = MunicipalityField(required=True)
    email = fields.Email(required=True, validate=validate.Length(max=254))

    @validates_schema(pass_collection=True, skip_on_field_errors=False)
    def _each_once(self, data: Any, many: bool, **_: Any) -> None:
        """A line given twice would mail one person twice: a mistake in the list."""
        if not many:
            return
        if not 1 <= len(data) <= MAX_INVITATIONS:
            raise ValidationError(f"Give 1 to {MAX_INVITATIONS} invitations at once.")
        seen: set[tuple[str, str]] = set()
        twice: dict[int, Any] = {}
        for number, row in enumerate(data):
            if "municipality_code" not in row or "email" not in row:
                continue  # already wrong, and said so
            key = (row["municipality_code"], row["email"].lower())
            if key in seen:
                twice[number] = {"email": ["This municipality and address are given twice."]}
            seen.add(key)
        if twice:
            raise ValidationError(twice)


class InvitationsQuery(Schema):
    only_unanswered = fields.Boolean(
        load_default=False,
        metadata={"description": "Leave out municipalities that have answered already"},
    )


class QueuedOut(Schema):
    queued = fields.Integer(metadata={"description": "Mails queued, one per address"})
    skipped = fields.Integer(metadata={"description": "Lines left out: answered already"})


def _cells(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every line that is not blank or a header; ``;`` or ``,``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = next(csv.reader([line], delimiter=";" if ";" in line else ","))
        cells = [cell.strip() for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if number == 1 and cells and cells[0].lower() in HEADERS:
            continue
        yield number, cells


class InvitationChoices(Schema):
    """What the staff page asks beside the list: whom to leave out, and whether to send yet."""

    only_unanswered = fields.Boolean(load_default=False)
    send = fields.Boolean(load_default=False, metadata={"description": "Send, not only check"})


class InvitationListForm(InvitationChoices):
    """The staff page's list of ``municipality code;e-mail address`` lines, pasted or uploaded.

    Loads to the same invitations as the API's list, with every wrong line
    named by its number, so nothing is sent until the whole list is right.
    """

    lines = fields.String(required=True, validate=validate.Length(max=200_000))

    @post_load
    def _invitations(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        numbers: list[int] = []
        rows: list[dict[str, str]] = []
        errors: dict[int, Any] = {}
        for number, cells in _cells(data["lines"]):
            if len(cells) != 2:
                errors[number] = ["Give a municipality code and an e-mail address, separated by ;."]
                continue
            numbers.append(number)
            rows.append({"municipality_code": cells[0], "email": cells[1]})
        try:
            invitations = InvitationIn(many=True).load(rows)
        except ValidationError as error:
            messages = error.normalized_messages()
            if "_schema" in messages and not errors:
                raise ValidationError({"lines": messages["_schema"]}) from error
            errors.update({numbers[i]: found for i, found in messages.items() if i != "_schema"})
        if errors:
            raise ValidationError({"lines": dict(sorted(errors.items()))})
        return {**data, "invitations": invitations}
