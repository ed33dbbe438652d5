"""Every error is ``application/problem+json``; validation errors field by field."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_smorest import Api
from marshmallow import INCLUDE, Schema, fields
from werkzeug.exceptions import HTTPException

from shared.problems import PROBLEM_JSON, Problem, TooManyRequests, problem_body


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


class ProblemSchema(Schema):
    """What every error response carries (RFC 9457); some carry more members."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.Dict(metadata={"description": "For invalid input: the messages per field"})


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


class ProblemApi(Api):
    """flask-smorest's Api with errors in the RFC 9457 shape, or a Dutch page for browsers."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        """The error responses flask-smorest documents, as the problem+json they are sent as."""
        names = {status.name: status.phrase for status in HTTPStatus if status >= 400}
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
            detail = "The request has invalid fields; see errors."
        elif messages:
            detail = " ".join(messages)
        headers = dict(data.get("headers") or {}) if data else {}
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        body = problem_body(error.code or 500, error.name, detail, errors=errors)
        return problem_response(body, headers)


def handle_problem(error: Problem) -> Response:
    body = problem_body(error.status, error.title, error.detail, **error.extra)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    if isinstance(error, TooManyRequests):
        headers["Retry-After"] = str(error.retry_after)
    return problem_response(body, headers)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, handle_problem)
