"""Problems as the API Design Rules have them: a detail always, invalid input listed."""

from __future__ import annotations

import pytest

from shared.problems import problem_body
from shared.web.errors import invalid_params


@pytest.mark.parametrize("status", [400, 404, 413, 415, 429, 500, 503, 507])
def test_a_problem_raised_without_a_sentence_still_has_a_detail(status: int) -> None:
    for detail in (None, ""):
        body = problem_body(status, "Title", detail)
        assert len(body["detail"].split()) >= 2, body


def test_nested_messages_become_one_item_each_with_a_dotted_name_and_a_code() -> None:
    messages = {
        "municipality_codes": {"1": ["Not a valid string."], "_schema": ["Name each once."]},
        "contact": {"email": ["Missing data for required field."]},
        "text": ["Longer than maximum length 10.", "Unknown field."],
        "_schema": ["Invalid input type."],
    }
    assert invalid_params(messages) == [
        {"name": "municipality_codes.1", "code": "invalid", "reason": "Not a valid string."},
        {"name": "municipality_codes", "code": "invalid", "reason": "Name each once."},
        {"name": "contact.email", "code": "required", "reason": "Missing data for required field."},
        {"name": "text", "code": "too_long", "reason": "Longer than maximum length 10."},
        {"name": "text", "code": "unknown", "reason": "Unknown field."},
        {"name": "body", "code": "invalid", "reason": "Invalid input type."},
    ]
