"""The mails registration sends, in Dutch like the pages people use.

Each one that concerns a seat carries the meeting as an iCalendar file and the
person's own link to view or cancel the registration; one with a seat also the QR
code to check in with at the door.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from services.registration import MANIFEST, qr
from services.registration.access import check_in_link, personal_links
from services.registration.domain import Status
from services.registration.models import Meeting, Registration, SignalRecipient
from shared.clock import AMSTERDAM
from shared.mail import compose
from shared.municipalities import Register
from shared.settings import Settings
from shared.themes import THEME_LABELS

QR_FILE = "inchecken.png"
CHECK_IN = (
    f"Bij de ingang: laat de QR-code in de bijlage ({QR_FILE}) zien, op uw telefoon of "
    "geprint, dan meldt de medewerker u met één tik binnen. Zonder de code kan het ook: noem "
    "dan uw naam."
)
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


def calendar_file(
    meeting: Meeting, registration: Registration, *, cancelled: bool = False
) -> bytes:
    """The person's calendar entry of the meeting: one UID per registration, so a cancelled
    registration's entry goes and a new registration gets one of its own; SEQUENCE counts the
    meeting's versions, so a calendar replaces the entry it has. Cancelling only this
    registration (the meeting itself still on) is one version past the meeting's own."""
    calendar = Calendar()
    calendar.add("prodid", "-//BZK//GIA 2012//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = CalendarEvent()
    event.add("uid", f"{registration.id}@gia.minbzk.nl")
    only_this_one = cancelled and meeting.cancelled_at is None
    event.add("sequence", meeting.sequence + 1 if only_this_one else meeting.sequence)
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
    attachments = []
    if calendar:
        ics = calendar_file(meeting, registration, cancelled=cancelled)
        attachments.append(("bijeenkomst.ics", "text/calendar", ics))
    if link:
        base = MANIFEST.public_url(settings)
        links = personal_links(base, settings.secret_key, registration.id)
        lines += ["", "Uw aanmelding bekijken:", links["self"]]
        lines += ["", "Afmelden:", links["cancel_page"]]
        if registration.status == Status.CONFIRMED and not meeting.cancelled_at:
            lines += ["", CHECK_IN]
            code = qr.png(check_in_link(base, settings.secret_key, registration.id))
            attachments.append((QR_FILE, "image/png", code))
    text = "\n".join(lines + SIGNATURE)
    return compose(settings, registration.email or "", subject, text, attachments)


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
    calendar: bool = True

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
            calendar=self.calendar,
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
REGISTRATION_CANCELLED = Tells(
    "Afgemeld",
    "U bent afgemeld voor deze bijeenkomst; uw plaats gaat naar wie op de wachtlijst staat. "
    "Wilt u toch komen? Meld u dan opnieuw aan op de pagina van de bijeenkomst.",
    link=False,
    cancelled=True,
)
LINK_AGAIN = Tells(
    "Uw persoonlijke link",
    "U vroeg om de link naar uw aanmelding voor deze bijeenkomst. Daarmee bekijkt u uw "
    "aanmelding of meldt u zich af. Vroeg u hier niet om? Dan kunt u deze mail negeren.",
    calendar=False,
)
REMINDER = Tells(
    "Herinnering: morgen",
    "Wij zien u graag morgen bij deze bijeenkomst. Kunt u niet komen? Meld u dan af.",
)
