"""Every error is ``application/problem+json``; invalid input listed field by field in
``invalidParams``, as the Dutch API Design Rules and the ZGW APIs have it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_smorest import Api
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from shared.problems import PROBLEM_JSON, Invalid, Problem, TooManyRequests, problem_body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    response = jsonify(body)
    response.status_code = body["status"]
    response.mimetype = PROBLEM_JSON
    response.headers.update(headers or {})
    return response


def _with_text_keys(messages: Any) -> Any:
    """marshmallow keys a list's errors by position, next to ``_schema`` for the whole list;
    JSON names members by text only, so the positions become text too."""
    if isinstance(messages, dict):
        return {str(key): _with_text_keys(value) for key, value in messages.items()}
    return messages


def _validation_messages(data: dict[str, Any] | None) -> Any:
    """webargs nests errors by location ({"json": {"field": [...]}}); people want the fields,
    or, for a request wrong as a whole (a body that is not JSON), the list of what is wrong."""
    if not data or "messages" not in data:
        return None
    messages = _with_text_keys(data["messages"])
    if isinstance(messages, dict) and len(messages) == 1:
        return next(iter(messages.values()))
    return messages


# marshmallow's and webargs' own messages, which stay the same from version to version, as
# the codes ``invalidParams`` gives a program to act on without reading English.
CODES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^Missing data for required field", "required"),
        (r"^Field may not be null", "null"),
        (r"^Unknown field", "unknown"),
        (r"^Invalid JSON body", "parse_error"),
        (r"^Longer than maximum length", "too_long"),
        (r"^Shorter than minimum length", "too_short"),
        (r"^Length must be between", "length"),
        (r"^Must be one of", "choice"),
        (r"^Must be (greater|less) than", "range"),
    )
)
# webargs' locations whose errors are about the body; the others name their parameters.
BODY_LOCATIONS = {"json", "form", "files", "json_or_form"}


def error_code(reason: str) -> str:
    return next((code for pattern, code in CODES if pattern.search(reason)), "invalid")


def invalid_params(
    messages: Any, path: tuple[str, ...] = (), root: str = "body"
) -> list[dict[str, str]]:
    """marshmallow's nested messages as a flat list of {name, code, reason}: the name is the
    field's path, dotted (``themes.0``, ``contact.email``); an error of a whole object
    (marshmallow's ``_schema``) names the object, and one of the whole body ``root``."""
    if isinstance(messages, Mapping):
        return [
            param
            for key, found in messages.items()
            for param in invalid_params(
                found, path if key == "_schema" else (*path, str(key)), root
            )
        ]
    if isinstance(messages, list | tuple):
        return [param for found in messages for param in invalid_params(found, path, root)]
    reason = str(messages)
    return [{"name": ".".join(path) or root, "code": error_code(reason), "reason": reason}]


def _located_params(messages: Mapping[str, Any]) -> list[dict[str, str]]:
    """webargs' messages, nested by location: the location is no part of a field's name."""
    return [
        param
        for location, found in messages.items()
        for param in invalid_params(found, root="body" if location in BODY_LOCATIONS else location)
    ]


class InvalidParamSchema(Schema):
    name = fields.String(
        required=True,
        metadata={"description": "The field, dotted for nested ones", "example": "themes.0"},
    )
    code = fields.String(
        required=True,
        metadata={
            "description": "What is wrong, for programs: required, null, unknown, parse_error, "
            "too_long, too_short, length, choice, range or invalid",
            "example": "required",
        },
    )
    reason = fields.String(required=True, metadata={"description": "What is wrong, for people"})


class ProblemSchema(Schema):
    """What every error response carries (RFC 9457); some carry more members."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    invalidParams = fields.List(  # the member's name in the ZGW APIs
        fields.Nested(InvalidParamSchema),
        metadata={"description": "For invalid input (400): every error, one per item"},
    )
    errors = fields.Dict(
        metadata={
            "description": "For invalid input: the messages per field, nested as the input "
            "is. Deprecated: read invalidParams; goes in version 2.0.0",
            "deprecated": True,
        }
    )


# What an error means, for people reading pages (in Dutch, as the pages are).
DUTCH_STATUS: dict[int, str] = {
    400: "Dit verzoek kunnen wij niet verwerken.",
    403: "U heeft geen toegang tot deze pagina.",
    404: "Deze pagina bestaat niet.",
    405: "Deze pagina werkt zo niet; ga terug en probeer het opnieuw.",
    409: "Dat kan nu niet; de gegevens zijn intussen veranderd.",
    413: "Wat u stuurde is te groot. Maak het korter en probeer het opnieuw.",
    422: "Deze invoer klopt niet.",
    429: "U probeerde dit te vaak achter elkaar. Wacht even en probeer het dan opnieuw.",
    500: "Er ging bij ons iets mis. Probeer het later nog eens.",
    503: "Deze dienst is even niet beschikbaar. Probeer het later nog eens.",
}


def wants_page() -> bool:
    """A browser on a page, not a program on the API: it asks for HTML first."""
    if request.path.startswith("/api/"):
        return False
    best = request.accept_mimetypes.best_match([PROBLEM_JSON, "application/json", "text/html"])
    return best == "text/html"


def error_page(status: int) -> Response:
    message = DUTCH_STATUS.get(status, DUTCH_STATUS[500 if status >= 500 else 400])
    return make_response(render_template("gia/error.html", message=message), status)


# The errors every operation that can meet them documents (API Design Rules
# /core/doc-openapi), with what they mean there.
ERRORS: dict[int, str] = {
    400: "Invalid input: invalidParams names every field that is wrong",
    401: "No valid bearer token (Authorization: Bearer ...)",
    403: "The token's role, or the personal link, does not open this",
    404: "Nothing with this identifier",
    413: "The body is larger than the service takes",
    415: "The body is not of a media type this operation takes",
}


def _documented_errors(path: str, operation: dict[str, Any]) -> list[int]:
    """The errors an operation can answer, by what its document says it takes: input (400),
    a token or a personal link (``security``: 401 where a bearer token is one way in, 403),
    an identifier in the path (404), a body (413) and a JSON one (415)."""
    security = operation.get("security") or []
    inputs = [p for p in operation.get("parameters", []) if p.get("in") in ("query", "header")]
    body = operation.get("requestBody", {}).get("content", {})
    wanted = {
        400: bool(inputs or body),
        401: any("bearer" in requirement for requirement in security),
        403: bool(security),
        404: "{" in path,
        413: bool(body),
        415: "application/json" in body,
    }
    return [status for status, applies in wanted.items() if applies]


class ErrorResponses(BasePlugin):
    """Documents each operation's errors as the problem+json they are sent as, beside
    those its view documents itself (409, 429 and others, which only the view knows)."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **_: Any
    ) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            for status in _documented_errors(path or "", operation):
                if str(status) not in documented:
                    responses[status] = HTTPStatus(status).name
            for status, response in responses.items():
                if str(status) != "default" and int(status) >= 400 and isinstance(response, dict):
                    response.setdefault("content", {PROBLEM_JSON: {"schema": "Problem"}})


class ProblemApi(Api):
    """flask-smorest's Api with errors in the RFC 9457 shape, or a Dutch page for browsers,
    and documented per operation."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, *, extra_plugins: Any = None, **options: Any) -> None:
        super()._init_spec(extra_plugins=[*(extra_plugins or ()), ErrorResponses()], **options)

    def _register_responses(self) -> None:
        """The error responses flask-smorest documents, as the problem+json they are sent as."""
        names = {
            status.name: ERRORS.get(status, status.phrase) for status in HTTPStatus if status >= 400
        }
        names[self.DEFAULT_ERROR_RESPONSE_NAME] = "Any other error"
        for name, description in names.items():
            content = {PROBLEM_JSON: {"schema": self.ERROR_SCHEMA}}
            self.spec.components.response(
                name, {"description": description, "content": content}, lazy=True
            )

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        # Flask has already logged an unhandled error with its traceback.
        if wants_page():
            return error_page(error.code or 500)
        data = getattr(error, "data", None)
        messages = _validation_messages(data)
        errors = messages if isinstance(messages, dict) else None
        detail = error.description
        if errors is not None:
            detail = "The request has invalid input; invalidParams lists what."
        elif messages:
            detail = " ".join(messages)
        params = _located_params(data["messages"]) if data and "messages" in data else None
        headers = dict(data.get("headers") or {}) if data else {}
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        body = problem_body(
            error.code or 500, error.name, detail, invalidParams=params, errors=errors
        )
        return problem_response(body, headers)


def page_status(error: Problem) -> int:
    """A page refusing input answers 422, as forms always have here; the API answers the
    same refusal 400, as the API Design Rules ask (``Invalid``)."""
    return 422 if isinstance(error, Invalid) else error.status


def handle_problem(error: Problem) -> Response:
    status = error.status if request.path.startswith("/api/") else page_status(error)
    extra = dict(error.extra)
    if "errors" in extra:
        extra["invalidParams"] = invalid_params(extra["errors"] or {})
    body = problem_body(status, error.title, error.detail, **extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return problem_response(body, headers)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, handle_problem)
