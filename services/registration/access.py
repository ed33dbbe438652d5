"""The personal link, which lets one person see or cancel their own registration without an
account, and the check-in link in their QR code, which only lets staff check them in.

Each signs the registration's id with a salt of its own, so the QR code shown at the door
(or photographed there) cannot cancel the registration or open the person's page, and the
personal link is no check-in code.
"""

from __future__ import annotations

from shared.auth.links import LinkSigner

SALT = "gia-registration-access"
CHECK_IN_SALT = "gia-registration-check-in"


def access_token(secret_key: str, registration_id: str) -> str:
    return LinkSigner(secret_key, SALT).token(registration_id)


def opens(secret_key: str, registration_id: str, token: str | None) -> bool:
    return LinkSigner(secret_key, SALT).opens(registration_id, token)


def check_in_token(secret_key: str, registration_id: str) -> str:
    return LinkSigner(secret_key, CHECK_IN_SALT).token(registration_id)


def checks_in(secret_key: str, registration_id: str, token: str | None) -> bool:
    return LinkSigner(secret_key, CHECK_IN_SALT).opens(registration_id, token)


def personal_links(base_url: str, secret_key: str, registration_id: str) -> dict[str, str]:
    """The person's own page, the page that asks before cancelling, and the API address
    that cancels (POST)."""
    token = access_token(secret_key, registration_id)
    page = f"{base_url}/inschrijving/{registration_id}"
    return {
        "self": f"{page}?token={token}",
        "cancel_page": f"{page}/afmelden?token={token}",
        "cancel": f"{base_url}/api/v1/registrations/{registration_id}/cancel?token={token}",
    }


def check_in_link(base_url: str, secret_key: str, registration_id: str) -> str:
    """What the QR code holds: the staff page that checks this person in."""
    token = check_in_token(secret_key, registration_id)
    return f"{base_url}/beheer/inchecken/{registration_id}?token={token}"
