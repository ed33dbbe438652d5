"""Entrants have no account: two signed links stand in for one.

The confirmation link proves the e-mail address is theirs, and expires; the
personal link (the entrant id signed with the secret key) then opens their own
page and entry, and no one else's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer

from services.essay_contest import MANIFEST
from shared.auth.links import LinkSigner
from shared.problems import Forbidden, Problem
from shared.settings import Settings

CONFIRMATION_VALID = timedelta(hours=48)


class ExpiredLink(Problem):
    status = 410
    title = "Gone"


def _entrant_links(settings: Settings) -> LinkSigner:
    return LinkSigner(settings.secret_key, "gia-essay-entrant")


def entrant_token(settings: Settings, entrant_id: str) -> str:
    return _entrant_links(settings).token(entrant_id)


def check_entrant(settings: Settings, entrant_id: str, token: str | None) -> None:
    if not _entrant_links(settings).opens(entrant_id, token):
        raise Forbidden("This link does not open this entrant's page.")


def own_page(settings: Settings, entrant_id: str) -> str:
    token = entrant_token(settings, entrant_id)
    return f"{MANIFEST.public_url(settings)}/deelnemer/{entrant_id}?token={token}"


def _confirmations(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt="gia-essay-confirm")


def confirmation_token(settings: Settings, entrant_id: str, now: datetime) -> str:
    """Signed with the time it was made, so the contest's clock decides when it expires."""
    return _confirmations(settings).dumps([entrant_id, int(now.timestamp())])


def confirmed_entrant(settings: Settings, token: str, now: datetime) -> str:
    """The entrant a confirmation token was made for; refused when forged or expired."""
    try:
        entrant_id, made = _confirmations(settings).loads(token)
    except (BadSignature, ValueError, TypeError) as error:
        raise Forbidden("This confirmation link is not valid.") from error
    if now.timestamp() - made > CONFIRMATION_VALID.total_seconds():
        raise ExpiredLink("This confirmation link has expired; sign up again to get a new one.")
    return str(entrant_id)


def confirmation_link(settings: Settings, entrant_id: str, now: datetime) -> str:
    token = confirmation_token(settings, entrant_id, now)
    return f"{MANIFEST.public_url(settings)}/bevestigen?token={token}"
