"""The survey mails, in Dutch like the survey page: what the survey is, and the personal link."""

from __future__ import annotations

from email.message import EmailMessage

from services.indicators import MANIFEST
from services.indicators.access import survey_url
from services.indicators.invitations import Notice
from shared.mail import compose
from shared.municipalities import Municipality
from shared.settings import Settings

# Per mail its subject and its opening; {name} is the municipality's.
OPENINGS: dict[str, tuple[str, str]] = {
    Notice.INVITATION: (
        "Monitor GIA-handreiking: wilt u de vragen beantwoorden?",
        "Graag horen wij van de gemeente {name} of zij de GIA-handreiking kent en hoe zij haar "
        "gebruikt.",
    ),
    Notice.REMINDER: (
        "Herinnering: monitor GIA-handreiking",
        "Eerder vroegen wij u om de monitor van de GIA-handreiking in te vullen. Van de gemeente "
        "{name} hebben wij nog geen antwoord ontvangen.",
    ),
}

SIGNATURE = (
    "Met vriendelijke groet,\n"
    "Het programma GIA 2012 van het ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
)


def survey_mail(
    settings: Settings, notice: str, municipality: Municipality, to: str
) -> EmailMessage:
    """An invitation or a reminder to one official, with the municipality's personal link."""
    subject, opening = OPENINGS[notice]
    link = survey_url(MANIFEST.public_url(settings), settings.secret_key, municipality.code)
    text = "\n\n".join(
        [
            "Geachte heer, mevrouw,",
            opening.format(name=municipality.name),
            "Het ministerie volgt in 2012 hoeveel gemeenten de GIA-handreiking kennen en "
            "gebruiken, zoals in de evaluatie over 2008-2011. De monitor telt een paar korte "
            "vragen en kost u een paar minuten; het laatste antwoord van de gemeente "
            f"{municipality.name} telt.",
            f"De vragen voor de gemeente {municipality.name}, via uw persoonlijke link:\n{link}",
            "Zodra uw gemeente heeft geantwoord, wissen wij uw e-mailadres; uiterlijk aan het "
            "eind van het programmajaar.",
            SIGNATURE,
        ]
    )
    return compose(settings, to, subject, text)
