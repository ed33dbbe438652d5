"""Every error is ``application/problem+json``; validation errors field by field."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from shared.problems import PROBLEM_JSON, Problem, problem_body


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    response = jsonify(body)
    response.status_code = body["status"]
    response.mimetype = PROBLEM_JSON
    response.headers.update(headers or {})
    return response


def _validation_errors(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """webargs nests errors by location ({"json": {"field": [...]}}); people want the fields."""
    if not data or "messages" not in data:
        return None
    messages = data["messages"]
    if isinstance(messages, dict) and len(messages) == 1:
        return next(iter(messages.values()))
    return messages


class ProblemApi(Api):
    """flask-smorest's Api with errors in the RFC 9457 shape."""

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        # Flask has already logged an unhandled error with its traceback.
        data = getattr(error, "data", None)
        errors = _validation_errors(data)
        detail = error.description
        if errors is not None:
            detail = "The request has invalid fields; see errors."
        headers = dict(data.get("headers") or {}) if data else {}
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        body = problem_body(error.code or 500, error.name, detail, errors=errors)
        return problem_response(body, headers)


def handle_problem(error: Problem) -> Response:
    body = problem_body(error.status, error.title, error.detail, **error.extra)
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else {}
    return problem_response(body, headers)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, handle_problem)
