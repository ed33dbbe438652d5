"""Telling people what a use case did to their seat; always after the commit.

Mails are composed inside the transaction (the rows are at hand) and sent once
it committed, so a mail never announces something that was rolled back and a
mail failure never undoes the change.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from services.registration import mails
from services.registration.models import Meeting, Registration
from services.registration.service import Outcome
from shared.settings import Settings

Compose = Callable[[Settings, Meeting, Registration], EmailMessage]


def compose_all(settings: Settings, outcome: Outcome, about: Compose) -> list[EmailMessage]:
    """Mails for the promoted and for everyone the outcome names to notify."""
    meeting = outcome.meeting
    if meeting is None:
        return []
    told = [mails.promoted(settings, meeting, r) for r in outcome.promoted if r.email]
    return told + [about(settings, meeting, r) for r in outcome.to_notify if r.email]
