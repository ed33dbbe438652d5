"""Test data used by more than one test module."""

from __future__ import annotations

import uuid
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

from services.registration.notices import mail_worker
from shared.auth.tokens import mint_token
from shared.mail import sent_messages
from shared.settings import Settings

MEETING = {
    "kind": "gia",
    "title": "Regiobijeenkomst Limburg",
    "region": "Limburg",
    "venue": "Maastricht",
    "starts_at": "2030-10-10T10:00:00+02:00",
    "ends_at": "2030-10-10T13:00:00+02:00",
    "capacity": 1,
    "registration_deadline": "2030-10-09T12:00:00+02:00",
    "themes": ["discrimination"],
}
# Rotterdam: in the target group of the shipped register.
PERSON = {
    "name": "An de Vries",
    "email": "an@example.nl",
    "role": "official",
    "municipality_code": "GM0599",
}


def attendance_data(**overrides: object) -> dict[str, object]:
    """The data of an attended event, fresh ids each time."""
    data: dict[str, object] = {
        "registration_id": str(uuid.uuid4()),
        "meeting_id": str(uuid.uuid4()),
        "municipality_code": "GM0363",
        "role": "official",
        "counts_for_participation": True,
        "guide_presented": False,
    }
    data.update(overrides)
    return data


def staff_headers(settings: Settings, role: str = "staff") -> dict[str, str]:
    token = mint_token(settings.secret_key, role, "test", timedelta(minutes=10))
    return {"Authorization": f"Bearer {token}"}


def path_of(url: str) -> str:
    """The part of an absolute link a test client requests."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def delivered_mails(settings: Settings) -> list[EmailMessage]:
    """Run registration's mail worker until its queue is empty, as the `gia mail` process
    does, and read every mail written so far, oldest first."""
    worker = mail_worker(settings)
    while worker.deliver_pending():
        pass
    worker.db.dispose()
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[misc]
        for path in sent_messages(settings.effective_mail_dir)
    ]
