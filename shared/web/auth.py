"""Checking who calls: bearer tokens on the API, the shared session cookie on pages.

The API takes only bearer tokens, so a browser's cookie can never be used against it from
another site; pages take the session cookie and CSRF tokens. A session names an account, its
role and the account's version, and counts only while all three are still so; a token counts
until it expires unless its id was revoked. A personal link (``?token=``) opens an API
operation by its service's own rule instead (``require_access``).
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import partial, wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, g, redirect, request, session, url_for

from shared.auth.accounts import Account, holds_session
from shared.auth.revocations import is_revoked
from shared.auth.tokens import InvalidToken, Principal, verify_token
from shared.db import Database
from shared.problems import Forbidden, Unauthorized

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
SESSION_KEY = "principal"
# The roles an API view is for, on the view (see ``require_role``).
REQUIRED_ROLES = "required_roles"
# Where the OpenAPI document names them.
ROLES_EXTENSION = "x-roles"
# The access rule of an API view a personal link opens, on the view (see ``require_access``).
ACCESS_CHECK = "access_check"


def _accounts() -> Database:
    from shared.web.service import service_context  # the app factory imports this module

    return service_context().auth_db


def bearer_principal() -> Principal:
    """The caller's token, checked once per request: signature, expiry and revocation."""
    if "bearer_principal" in g:
        return g.bearer_principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("This endpoint needs a bearer token (Authorization: Bearer ...).")
    try:
        principal = verify_token(current_app.config["SECRET_KEY"], token.strip())
    except InvalidToken as error:
        raise Unauthorized(f"{error}.") from error
    with _accounts().transaction() as accounts:
        if is_revoked(accounts, principal.token_id or ""):
            raise Unauthorized("the token has been revoked.")
    g.bearer_principal = principal
    return principal


def session_record(account: Account) -> dict[str, Any]:
    """What the session cookie keeps of a logged-in account."""
    return {"subject": account.email, "role": account.role, "version": account.version}


def session_principal() -> Principal | None:
    """The logged-in person, or None; a session that no longer counts is cleared."""
    if "session_principal" not in g:
        g.session_principal = _current_session()
    return g.session_principal


def _current_session() -> Principal | None:
    stored = session.get(SESSION_KEY)
    if stored is None:
        return None
    if isinstance(stored, dict):
        subject, role, version = (stored.get(key) for key in ("subject", "role", "version"))
        if isinstance(subject, str) and isinstance(role, str) and isinstance(version, int):
            with _accounts().transaction() as accounts:
                if holds_session(accounts, subject, role, version):
                    return Principal(subject=subject, role=role)
    session.clear()
    return None


def remember(account: Account) -> None:
    session.clear()
    session[SESSION_KEY] = session_record(account)
    session.permanent = True  # expires after the configured session lifetime
    g.session_principal = Principal(subject=account.email, role=account.role)


def forget() -> None:
    session.clear()
    g.session_principal = None


def _authorise(roles: tuple[str, ...]) -> None:
    if bearer_principal().role not in roles:
        raise Forbidden(f"This endpoint is for the role(s): {', '.join(roles)}.")


def _document_roles(view: Any, roles: tuple[str, ...]) -> None:
    """Name the roles in the operation's OpenAPI document (``x-roles``), as flask-smorest's
    ``doc`` would: ``security`` only says a token is needed, not whose."""
    documented = deepcopy(getattr(view, "_apidoc", {}))
    documented.setdefault("manual_doc", {})[ROLES_EXTENSION] = list(roles)
    view._apidoc = documented


def _guarded(view: F, guard: Callable[[], object]) -> F:
    """The view, running ``guard`` first: so it is checked even in an app without the hook
    of ``install_authentication``."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        guard()
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]


def require_role(*roles: str) -> Callable[[F], F]:
    """API endpoints only for these roles: 401 without a valid token, 403 for another role.

    The roles stay on the view (``functools.wraps`` carries them through flask-smorest's
    decorators), so ``install_authentication`` checks them before anything reads the body.
    """

    def decorate(view: F) -> F:
        checked = _guarded(view, partial(_authorise, roles))
        setattr(checked, REQUIRED_ROLES, roles)
        _document_roles(checked, roles)
        return checked

    return decorate


def link_token() -> str | None:
    """The token of the caller's personal link: the ``token`` query argument."""
    return request.args.get("token")


def granted(check: Callable[..., T]) -> T:
    """What the access rule ``check`` answered for this request, e.g. who the caller is:
    it runs once, with the view's URL arguments, and its answer is kept for the view."""
    answers: dict[Callable[..., Any], Any] = g.setdefault("access_granted", {})
    if check not in answers:
        answers[check] = check(**(request.view_args or {}))
    return answers[check]


def require_access(check: Callable[..., object], roles: tuple[str, ...] = ()) -> Callable[[F], F]:
    """API endpoints a personal link opens, by the service's own rule ``check``: called with
    the view's URL arguments, it reads ``link_token()`` and raises Unauthorized or Forbidden.

    Like ``require_role``'s roles, the rule stays on the view, so ``install_authentication``
    applies it before anything reads the body; ``granted(check)`` gives the view its answer.
    ``roles`` are those whose bearer token ``check`` lets in without the link, documented
    as ``x-roles``.
    """

    def decorate(view: F) -> F:
        checked = _guarded(view, partial(granted, check))
        setattr(checked, ACCESS_CHECK, check)
        if roles:
            _document_roles(checked, roles)
        return checked

    return decorate


def install_authentication(app: Flask) -> None:
    """Authenticate before validation: a protected operation answers 401/403 before its body
    is parsed, whatever the order of the decorators on the view."""

    @app.before_request
    def _authenticate_first() -> None:
        view = app.view_functions.get(request.endpoint or "")
        if roles := getattr(view, REQUIRED_ROLES, None):
            _authorise(roles)
        if check := getattr(view, ACCESS_CHECK, None):
            granted(check)


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


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a local path, so the login page cannot send people to another site; ``default``
    without one."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
