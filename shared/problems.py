"""Errors as ``application/problem+json`` (RFC 9457), raised from anywhere in a service."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from werkzeug.exceptions import default_exceptions

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    """An error a client can act on; the handler turns it into problem+json."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(Problem):
    status = 404
    title = "Not found"


class Conflict(Problem):
    status = 409
    title = "Conflict"


class Invalid(Problem):
    """Input the API takes as well formed but cannot accept; 400 as the API Design Rules
    have it (a page shows the form again with 422, see ``shared.web.forms``). ``errors``
    names the fields, as marshmallow does."""

    status = 400
    title = "Invalid input"


class TooLarge(Problem):
    status = 413
    title = "Content too large"


class UnsupportedType(Problem):
    status = 415
    title = "Unsupported media type"


class TooManyRequests(Problem):
    """Refused for now; ``retry_after`` (seconds) goes out as the Retry-After header too."""

    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **extra)
        self.retry_after = retry_after


class Unauthorized(Problem):
    status = 401
    title = "Unauthorized"


class Forbidden(Problem):
    status = 403
    title = "Forbidden"


def default_detail(status: int) -> str:
    """What a status means, for a problem raised without a sentence of its own."""
    known = default_exceptions.get(status)
    if known is not None and known.description:
        return known.description
    known_status = HTTPStatus(status)
    return f"{known_status.description or known_status.phrase}."


def problem_body(status: int, title: str, detail: str | None, **extra: Any) -> dict[str, Any]:
    """Every problem says what went wrong in ``detail`` too: clients show it to people."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail or default_detail(status),
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    return body
