"""What the indicators API answers with."""

from __future__ import annotations

from marshmallow import Schema, fields


class FigureOut(Schema):
    indicator = fields.String()
    numerator = fields.Integer(metadata={"description": "Target-group municipalities covered"})
    denominator = fields.Integer(metadata={"description": "Municipalities in the target group"})
    value = fields.Float()
    target = fields.Float()
    gap = fields.Float(metadata={"description": "Target minus value, never below 0"})


class IndicatorsOut(Schema):
    as_of = fields.AwareDateTime()
    indicators = fields.List(fields.Nested(FigureOut))
