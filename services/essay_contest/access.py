"""Entrants and griffies have no account: signed links stand in for one.

The confirmation link proves the e-mail address is theirs, and expires; the
personal link (the entrant id signed with the secret key) then opens their own
page and entry, and no one else's. The griffie's link asks one griffie about one
entrant, and expires too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


class TimedLink:
    """A link naming an entrant and the moment it was made, signed with the secret key (a salt
    of its own per kind): the contest's clock, not the signature, decides when it expires."""

    def __init__(self, salt: str, path: str, what: str) -> None:
        self.salt = salt
        self.path = path
        self.what = what

    def _serializer(self, settings: Settings) -> URLSafeSerializer:
        return URLSafeSerializer(settings.secret_key, salt=self.salt)

    def link(self, settings: Settings, entrant_id: str, made: datetime) -> str:
        token = self._serializer(settings).dumps([entrant_id, int(made.timestamp())])
        return f"{MANIFEST.public_url(settings)}{self.path}?token={token}"

    def opened(self, settings: Settings, token: str) -> tuple[str, datetime]:
        """The entrant and the second the link was made; refused when forged."""
        try:
            entrant_id, made = self._serializer(settings).loads(token)
            return str(entrant_id), datetime.fromtimestamp(made, UTC)
        except (BadSignature, ValueError, TypeError, OverflowError) as error:
            raise Forbidden(f"This {self.what} link is not valid.") from error


CONFIRMATION = TimedLink("gia-essay-confirm", "/bevestigen", "confirmation")
# The griffie's link; it expires COUNCIL_LINK_VALID (domain) after the entrant's griffie was
# asked, and only the latest one made for an entrant counts (see council.py).
COUNCIL = TimedLink("gia-essay-council", "/griffie/bevestigen", "griffie")


def confirmed_entrant(settings: Settings, token: str, now: datetime) -> str:
    """The entrant a confirmation token was made for; refused when forged or expired."""
    entrant_id, made = CONFIRMATION.opened(settings, token)
    if now - made > CONFIRMATION_VALID:
        raise ExpiredLink("This confirmation link has expired; sign up again to get a new one.")
    return entrant_id


def confirmation_link(settings: Settings, entrant_id: str, now: datetime) -> str:
    return CONFIRMATION.link(settings, entrant_id, now)
