"""Checking who calls: bearer tokens on the API, the shared session cookie on pages.

The API takes only bearer tokens, so a browser's cookie can never be used
against it from another site; pages take the session cookie and CSRF tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for

from shared.auth.tokens import InvalidToken, Principal, verify_token
from shared.problems import Forbidden, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])
SESSION_KEY = "principal"


def bearer_principal() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("This endpoint needs a bearer token (Authorization: Bearer ...).")
    try:
        return verify_token(current_app.config["SECRET_KEY"], token.strip())
    except InvalidToken as error:
        raise Unauthorized(f"{error}.") from error


def session_principal() -> Principal | None:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    return Principal(subject=stored["subject"], role=stored["role"])


def remember(principal: Principal) -> None:
    session.clear()
    session[SESSION_KEY] = {"subject": principal.subject, "role": principal.role}
    session.permanent = True  # expires after the configured session lifetime


def require_role(*roles: str) -> Callable[[F], F]:
    """API endpoints only for these roles: 401 without a valid token, 403 for another role."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            principal = bearer_principal()
            if principal.role not in roles:
                raise Forbidden(f"This endpoint is for the role(s): {', '.join(roles)}.")
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def page_for(*roles: str) -> Callable[[F], F]:
    """Pages only for these roles: people without a session are sent to the login page."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            principal = session_principal()
            if principal is None:
                return redirect(url_for("gia.login", next=request.full_path))
            if principal.role not in roles:
                raise Forbidden("Deze pagina is niet voor uw rol bedoeld.")
            return view(*args, **kwargs)

        return checked  # type: ignore[return-value]

    return decorate


def safe_next(target: str | None) -> str:
    """Only a local path, so the login page cannot send people to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target
