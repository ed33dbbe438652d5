"""The personal link: lets one person see or cancel their own registration, without an account.

The token is the registration id signed with the secret key, so it opens that
registration and no other, and nothing has to be stored to check it.
"""

from __future__ import annotations

import hmac

from itsdangerous import BadSignature, URLSafeSerializer

SALT = "gia-registration-access"


def access_token(secret_key: str, registration_id: str) -> str:
    return URLSafeSerializer(secret_key, salt=SALT).dumps(registration_id)


def opens(secret_key: str, registration_id: str, token: str | None) -> bool:
    if not token:
        return False
    try:
        signed = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        return False
    return isinstance(signed, str) and hmac.compare_digest(signed, registration_id)


def personal_links(base_url: str, secret_key: str, registration_id: str) -> dict[str, str]:
    """The person's own page, and the API address that cancels (POST)."""
    token = access_token(secret_key, registration_id)
    return {
        "self": f"{base_url}/inschrijving/{registration_id}?token={token}",
        "cancel": f"{base_url}/api/v1/registrations/{registration_id}/cancel?token={token}",
    }
