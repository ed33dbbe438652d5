"""The mails registration sends, in Dutch like the pages people use."""

from __future__ import annotations

from email.message import EmailMessage
from zoneinfo import ZoneInfo

from services.registration.domain import Status
from services.registration.models import Meeting, Registration
from shared.mail import compose
from shared.settings import Settings

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _when(meeting: Meeting) -> str:
    starts = meeting.starts_at.astimezone(AMSTERDAM)
    ends = meeting.ends_at.astimezone(AMSTERDAM)
    return f"{starts:%d-%m-%Y} van {starts:%H:%M} tot {ends:%H:%M} uur"


def registration_received(
    settings: Settings, meeting: Meeting, registration: Registration
) -> EmailMessage:
    if registration.status == Status.CONFIRMED:
        subject = f"Aanmelding bevestigd: {meeting.title}"
        opening = "U bent aangemeld voor deze bijeenkomst. Er is een plaats voor u gereserveerd."
    else:
        subject = f"Op de wachtlijst: {meeting.title}"
        opening = (
            "De bijeenkomst is vol. U staat op de wachtlijst en krijgt bericht "
            "zodra er een plaats voor u vrijkomt."
        )
    where = ", ".join(part for part in (meeting.venue, meeting.address) if part)
    text = "\n".join(
        [
            f"Beste {registration.name},",
            "",
            opening,
            "",
            f"Bijeenkomst: {meeting.title}",
            f"Wanneer:     {_when(meeting)}",
            f"Waar:        {where}",
            f"Kenmerk:     {registration.id}",
            "",
            "Met vriendelijke groet,",
            "Het GIA-team van het ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        ]
    )
    return compose(settings, registration.email, subject, text)
