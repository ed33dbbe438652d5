"""Posted forms through schemas, and their complaints back to the inputs they came from."""

from __future__ import annotations

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields, validate

from shared.web.forms import Phrasebook, load_form


class Contact(Schema):
    name = fields.String(required=True)
    email = fields.Email(required=True)


class Request(Schema):
    codes = fields.List(
        fields.String(validate=validate.Length(max=6)), validate=validate.Length(min=1)
    )
    contact = fields.Nested(Contact, required=True)
    urgent = fields.Boolean()


def loaded(form: dict[str, object]) -> dict[str, object]:
    with Flask(__name__).test_request_context(method="POST", data=form):
        return load_form(Request())


def test_a_nested_schema_reads_its_dotted_inputs_and_blank_list_inputs_are_left_out() -> None:
    data = loaded(
        {"codes": ["GM0599", " ", ""], "contact.name": " An ", "contact.email": "an@example.nl"}
    )
    assert data == {
        "codes": ["GM0599"],
        "contact": {"name": "An", "email": "an@example.nl"},
        "urgent": False,
    }


def test_complaints_go_to_the_dotted_input_of_a_nested_field_and_to_the_list_of_an_item() -> None:
    with pytest.raises(ValidationError) as refused:
        loaded({"codes": ["GM0599", "GM05999"], "contact.email": "not an address"})
    feedback = Phrasebook(()).feedback(refused.value)
    assert feedback.status == 422
    assert feedback.errors == {
        "codes": "Vul hoogstens 6 tekens in.",
        "contact.name": "Vul dit veld in.",
        "contact.email": "Vul een geldig e-mailadres in, zoals naam@gemeente.nl.",
    }
