"""The only place the indicators API parses input, and what it answers with."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.indicators.figures import ALL, DIMENSIONS, TARGET_GROUP
from services.indicators.rules import ACTIVITY, INDICATORS
from shared.events.catalogue import SURVEY_USES


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
    newest_event_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "Time of the newest event counted"}
    )


class GroupOut(Schema):
    group = fields.String()
    indicators = fields.List(fields.Nested(FigureOut))


class IndicatorsOut(Schema):
    as_of = fields.AwareDateTime()
    scope = fields.String()
    group_by = fields.String(allow_none=True)
    indicators = fields.List(fields.Nested(FigureOut))
    groups = fields.List(fields.Nested(GroupOut))
    outside_target_group = fields.List(
        fields.Nested(FigureOut),
        metadata={"description": "Municipalities outside the target group, never in its figures"},
    )
    activity = fields.Nested(FigureOut)


class EvidenceOut(Schema):
    indicator = fields.String()
    basis = fields.String(metadata={"description": "What it rests on: an attendance, a survey"})
    holds = fields.Boolean()
    given_at = fields.AwareDateTime(allow_none=True)
    given_by = fields.String(allow_none=True, metadata={"description": "Event id"})
    given_type = fields.String(allow_none=True)
    withdrawn_at = fields.AwareDateTime(allow_none=True)
    withdrawn_by = fields.String(allow_none=True, metadata={"description": "Event id"})
    withdrawn_type = fields.String(allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


class MunicipalityOut(Schema):
    code = fields.String()
    name = fields.String()
    province = fields.String()
    region = fields.String()
    band = fields.String()
    non_western_pct = fields.Float()
    in_target_group = fields.Boolean()
    counts_for = fields.Dict(keys=fields.String(), values=fields.Boolean())
    evidence = fields.List(fields.Nested(EvidenceOut))


class MissingOut(Schema):
    indicator = fields.String()
    municipalities = fields.List(fields.Dict())


class EventOut(Schema):
    id = fields.String()
    type = fields.String()
    source = fields.String()
    subject = fields.String()
    time = fields.AwareDateTime()
    data = fields.Dict()
    received_at = fields.AwareDateTime()


class SurveyIn(Schema):
    """The monitor survey (evaluation, Tables 3 and 5)."""

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


class SurveyOut(SurveyIn):
    id = fields.String()
    municipality_code = fields.String()
    answered_at = fields.AwareDateTime()
    event_id = fields.String()


class TokenQuery(Schema):
    token = fields.String(load_default=None, validate=validate.Length(max=300))
