"""The personal link: lets one person see or cancel their own registration, without an account."""

from __future__ import annotations

from shared.auth.links import LinkSigner

SALT = "gia-registration-access"


def access_token(secret_key: str, registration_id: str) -> str:
    return LinkSigner(secret_key, SALT).token(registration_id)


def opens(secret_key: str, registration_id: str, token: str | None) -> bool:
    return LinkSigner(secret_key, SALT).opens(registration_id, token)


def personal_links(base_url: str, secret_key: str, registration_id: str) -> dict[str, str]:
    """The person's own page, and the API address that cancels (POST)."""
    token = access_token(secret_key, registration_id)
    return {
        "self": f"{base_url}/inschrijving/{registration_id}?token={token}",
        "cancel": f"{base_url}/api/v1/registrations/{registration_id}/cancel?token={token}",
    }
