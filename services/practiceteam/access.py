"""The tracking link: the municipality follows and acts on its request without an account."""

from __future__ import annotations

from services.practiceteam import MANIFEST
from shared.auth.links import LinkSigner
from shared.settings import Settings

SALT = "gia-practiceteam-tracking"


def _signer(settings: Settings) -> LinkSigner:
    return LinkSigner(settings.secret_key, SALT)


def opens(settings: Settings, request_id: str, token: str | None) -> bool:
    return _signer(settings).opens(request_id, token)


def tracking_links(settings: Settings, request_id: str) -> dict[str, str]:
    """The municipality's page for the request, and the same view in the API."""
    token = _signer(settings).token(request_id)
    base = MANIFEST.public_url(settings)
    return {
        "tracking": f"{base}/aanvraag/{request_id}?token={token}",
        "self": f"{base}/api/v1/requests/{request_id}?token={token}",
    }


def attachment_path(request_id: str, attachment_id: str) -> str:
    return f"/api/v1/requests/{request_id}/attachments/{attachment_id}"


def attachment_link(settings: Settings, request_id: str, attachment_id: str) -> str:
    """A document of the request, opened by the tracking token like the request itself."""
    token = _signer(settings).token(request_id)
    return f"{attachment_path(request_id, attachment_id)}?token={token}"
