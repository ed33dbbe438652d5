"""Posted forms through schemas, and their complaints back to the inputs they came from."""

from __future__ import annotations

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields, validate

from shared.web.forms import Feedback, Phrasebook, load_form


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


class Meeting(Schema):
    title = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["official", "other"]))
    score = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    themes = fields.List(
        fields.String(validate=validate.OneOf(["a", "b", "c"])),
        validate=validate.Length(min=1, max=2),
    )
    codes = fields.List(fields.String(), validate=validate.Length(min=1, max=2))


BOOK = Phrasebook((), choices={"role": "rol", "score": "oordeel"}, groups={"themes": "thema"})


def refused(form: dict[str, object]) -> dict[str, str]:
    with (
        Flask(__name__).test_request_context(method="POST", data=form),
        pytest.raises(ValidationError) as refusal,
    ):
        load_form(Meeting())
    return BOOK.feedback(refusal.value).errors


def test_each_kind_of_field_is_told_what_to_do_with_it() -> None:
    assert refused({}) == {
        "title": "Vul dit veld in.",
        "role": "Kies een rol.",  # a select
        "score": "Kies een oordeel.",  # radio buttons, which the schema cannot tell
        "themes": "Kies ten minste één thema.",  # boxes to tick, never "Vul 1 tot 2 tekens in."
        "codes": "Vul er ten minste één in.",  # a row of inputs
    }
    too_many = refused({"themes": ["a", "b", "c"], "codes": ["x", "y", "z"]})
    assert (
        too_many["themes"] == "Kies er hoogstens 2."
        and too_many["codes"] == "Vul er hoogstens 2 in."
    )
    assert refused({"role": "mayor"})["role"] == "Kies een van de mogelijkheden."


def test_the_summary_lists_the_fields_in_the_order_the_page_shows_them() -> None:
    feedback = Feedback(422, {"capacity": "a", "gone": "b", "kind": "c", "deadline": "d"})
    page = (
        '<span id="capacity-fout"></span><select id="kind"></select>'
        '<input id="deadline"><input id="capacity">'
    )
    assert [name for name, _ in feedback.in_page_order(page)] == [
        "kind",
        "deadline",
        "capacity",
        "gone",
    ]
