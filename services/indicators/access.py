"""Personal links of the indicators service, signed with the secret key.

- The survey link opens one municipality's survey: the register has no
  addresses, so staff mail the links to the officials they know (invitations)
  or hand them out themselves (a CSV of them).
- A feed token is a stored token's id, signed: feed readers cannot send
  headers, so it goes in the URL, and revoking the stored token ends it.
"""

from __future__ import annotations

from shared.auth.links import LinkSigner


def survey_links(secret_key: str) -> LinkSigner:
    return LinkSigner(secret_key, "gia-indicators-survey")


def feed_links(secret_key: str) -> LinkSigner:
    return LinkSigner(secret_key, "gia-indicators-feed")


def survey_url(base_url: str, secret_key: str, code: str) -> str:
    return f"{base_url}/enquete/{code}?token={survey_links(secret_key).token(code)}"
