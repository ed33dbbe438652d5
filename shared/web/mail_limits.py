"""Limits on the public forms that send mail, so that none becomes a mail cannon.

Every anonymous POST that names an address to mail counts against two rules, in the
throttle all services share (Redis with ``GIA_REDIS_URL``):

- ``GIA_MAIL_LIMIT_ADDRESS`` per client address: one sender flooding the forms;
- ``GIA_MAIL_LIMIT_RECIPIENT`` per target address: many senders aiming at one inbox.

Each rule holds for all forms of all services together: an inbox fills up the same
whichever form mails it, and a sender who moves on to the next form is the same sender.

Attempts are counted, before the form is read or the use case runs: the count is taken
atomically, so a burst of parallel POSTs cannot all pass a check before any of them counts,
and an attacker cannot probe (which addresses signed up) beyond the limit. A refusal
happens before anything is written, so it leaves no record, event or mail. Someone fixing
a typo spends an attempt too; the limits leave room for a few.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import Response, after_this_request, request

from shared.problems import PROBLEM_JSON, TooManyRequests
from shared.web.errors import ProblemSchema
from shared.web.forms import posted
from shared.web.service import service_context

P = ParamSpec("P")
T = TypeVar("T")

FROM_CLIENT = "Too many forms that send mail came from your address; try again later."
TO_RECIPIENT = "Too many mails went to this e-mail address lately; try again later."

# How a limited API endpoint documents its refusal (``api.alt_response(429, **REFUSED)``).
REFUSED: dict[str, Any] = {
    "schema": ProblemSchema,
    "content_type": PROBLEM_JSON,
    "description": "Too many mails asked for from this client address, or to this e-mail "
    "address (GIA_MAIL_LIMIT_ADDRESS, GIA_MAIL_LIMIT_RECIPIENT); nothing was kept",
    "headers": {
        "Retry-After": {
            "description": "Seconds until it may be tried again",
            "schema": {"type": "integer"},
        }
    },
}


def recipient_key(email: str) -> str:
    """One inbox however its address is written: case, spaces and a ``+tag`` make no other
    inbox."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def limit_mail(field: str) -> None:
    """Counts this POST against both rules when it names an address in ``field`` (dotted
    for a nested one, as forms name it); refuses it with ``TooManyRequests`` when over."""
    recipient = _posted(field)
    if not recipient:
        return  # no address given: nothing will be mailed
    context = service_context()
    settings, throttle = context.settings, context.throttle
    try:
        client = request.remote_addr or "unknown"
        throttle.spend(settings.mail_limit_address, "mail-from", client, detail=FROM_CLIENT)
        key = recipient_key(recipient)
        throttle.spend(settings.mail_limit_recipient, "mail-to", key, detail=TO_RECIPIENT)
    except TooManyRequests as refused:
        after_this_request(_retry_after(refused.retry_after))
        raise


def mail_limited(field: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """``limit_mail(field)`` before the view (an API endpoint) or a form's step runs."""

    def decorate(act: Callable[P, T]) -> Callable[P, T]:
        @wraps(act)
        def limited(*args: P.args, **kwargs: P.kwargs) -> T:
            limit_mail(field)
            return act(*args, **kwargs)

        return limited

    return decorate


def _posted(field: str) -> str:
    """The address as sent, from a JSON body or a form, before any schema reads it."""
    if request.is_json:
        found: Any = request.get_json(silent=True)
        for name in field.split("."):
            found = found.get(name) if isinstance(found, dict) else None
        return found.strip() if isinstance(found, str) else ""
    return posted().get(field, "").strip()


def _retry_after(seconds: int) -> Callable[[Response], Response]:
    """A page shows the form again with the Dutch message; the header goes with it, too."""

    def add(response: Response) -> Response:
        response.headers["Retry-After"] = str(seconds)
        return response

    return add
