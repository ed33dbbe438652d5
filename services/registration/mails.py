"""The mails registration sends, in Dutch like the pages people use.

Each one that concerns a seat carries the meeting as an iCalendar file and the
person's own link to view or cancel the registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from services.registration import MANIFEST
from services.registration.access import personal_links
from services.registration.domain import Status
from services.registration.models import Meeting, Registration, SignalRecipient
from shared.clock import AMSTERDAM
from shared.mail import compose
from shared.municipalities import Register
from shared.settings import Settings
from shared.themes import THEME_LABELS

SIGNATURE = [
    "",
    "Met vriendelijke groet,",
    "Het GIA-team van het ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
]


def when(meeting: Meeting) -> str:
    starts = meeting.starts_at.astimezone(AMSTERDAM)
    ends = meeting.ends_at.astimezone(AMSTERDAM)
    return f"{starts:%d-%m-%Y} van {starts:%H:%M} tot {ends:%H:%M} uur"


def where(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.venue, meeting.address) if part)


def calendar_file(meeting: Meeting, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//BZK//GIA 2012//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = CalendarEvent()
    event.add("uid", f"{meeting.id}@gia.minbzk.nl")
    event.add("dtstamp", meeting.created_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("location", where(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def _message(
    settings: Settings,
    meeting: Meeting,
    registration: Registration,
    subject: str,
    paragraphs: list[str],
    *,
    link: bool = True,
    cancelled: bool = False,
    calendar: bool = True,
) -> EmailMessage:
    lines = [f"Beste {registration.name},", ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    lines += [
        f"Bijeenkomst: {meeting.title}",
        f"Wanneer:     {when(meeting)}",
        f"Waar:        {where(meeting)}",
        f"Kenmerk:     {registration.id}",
    ]
    if link:
        page = personal_links(MANIFEST.public_url(settings), settings.secret_key, registration.id)[
            "self"
        ]
        lines += ["", "Uw aanmelding bekijken of annuleren:", page]
    ics = [("bijeenkomst.ics", "text/calendar", calendar_file(meeting, cancelled=cancelled))]
    text = "\n".join(lines + SIGNATURE)
    return compose(settings, registration.email or "", subject, text, ics if calendar else [])


def registration_received(
    settings: Settings, meeting: Meeting, registration: Registration, position: int | None
) -> EmailMessage:
    if registration.status == Status.CONFIRMED:
        return _message(
            settings,
            meeting,
            registration,
            f"Aanmelding bevestigd: {meeting.title}",
            ["U bent aangemeld voor deze bijeenkomst. Er is een plaats voor u gereserveerd."],
        )
    return _message(
        settings,
        meeting,
        registration,
        f"Op de wachtlijst: {meeting.title}",
        [
            f"De bijeenkomst is vol. U staat op de wachtlijst, op plaats {position}. "
            "Komt er een plaats vrij, dan krijgt u die automatisch en ontvangt u bericht."
        ],
    )


def signal_answered(
    settings: Settings, register: Register, recipient: SignalRecipient
) -> EmailMessage:
    """The ministry's answer to a signal raised at a meeting the person was at: what the
    evaluation found municipalities missed. The meeting is over, so no calendar entry."""
    signal = recipient.signal
    raised_by = ", ".join(
        found.name if (found := register.get(code)) else code for code in signal.municipality_codes
    )
    themes = ", ".join(THEME_LABELS.get(theme, theme) for theme in signal.themes)
    return _message(
        settings,
        signal.meeting,
        recipient.registration,
        f"Antwoord op een signaal: {signal.meeting.title}",
        [
            f"Op deze bijeenkomst, waar u bij was, is een signaal ingebracht door {raised_by}, "
            f"over {themes}. Hieronder leest u wat het ministerie ermee doet.",
            f"Het signaal:\n{signal.text}",
            f"Het antwoord van het ministerie:\n{signal.answer}",
            "Het signaal en het antwoord worden, zonder namen, ook openbaar gemaakt bij de "
            "signalen van het GIA-programma.",
        ],
        link=False,
        calendar=False,
    )


@dataclass(frozen=True)
class Tells:
    """What a notice about a meeting says: its subject (before the title) and its text."""

    subject: str
    text: str
    link: bool = True
    cancelled: bool = False

    def compose(
        self, settings: Settings, meeting: Meeting, registration: Registration
    ) -> EmailMessage:
        return _message(
            settings,
            meeting,
            registration,
            f"{self.subject}: {meeting.title}",
            [self.text],
            link=self.link,
            cancelled=self.cancelled,
        )


PROMOTED = Tells(
    "Er is een plaats voor u",
    "Er is een plaats vrijgekomen. U staat niet meer op de wachtlijst maar bent aangemeld.",
)
MEETING_CHANGED = Tells(
    "Gewijzigd",
    "De gegevens van deze bijeenkomst zijn gewijzigd. Hieronder staan de nieuwe gegevens.",
)
MEETING_CANCELLED = Tells(
    "Afgelast",
    "Deze bijeenkomst gaat helaas niet door. Uw aanmelding vervalt daarmee.",
    link=False,
    cancelled=True,
)
REMINDER = Tells(
    "Herinnering: morgen",
    "Wij zien u graag morgen bij deze bijeenkomst. Kunt u niet komen? Meld u dan af.",
)
