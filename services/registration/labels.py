"""Labels of the registration pages, and the Dutch for what its schemas and use cases say."""

from __future__ import annotations

from services.registration.domain import Status
from shared.web.forms import Phrasebook

KIND_LABELS = {"gia": "GIA-bijeenkomst", "raad_voor_raad": "Raad voor Raad"}
ROLE_LABELS = {
    "official": "ambtenaar",
    "council_member": "raadslid",
    "alderman": "wethouder",
    "other": "anders",
}
STATUS_LABELS = {
    Status.CONFIRMED: "aangemeld",
    Status.WAITLISTED: "op de wachtlijst",
    Status.CANCELLED: "afgemeld",
}
FIELD_LABELS = {
    "name": "Naam",
    "email": "E-mailadres",
    "role": "Rol",
    "municipality_code": "Gemeente",
    "organisation": "Organisatie",
    "kind": "Soort bijeenkomst",
    "title": "Titel",
    "region": "Regio",
    "venue": "Locatie",
    "address": "Adres",
    "starts_at": "Begint op",
    "ends_at": "Eindigt op",
    "capacity": "Aantal plaatsen",
    "registration_deadline": "Aanmelden kan tot",
    "themes": "Thema's",
    "theme": "Thema",
    "counts_for_participation": "Telt mee voor deelname",
    "guide_presented": "De handreiking wordt gepresenteerd",
    "text": "Het signaal",
    "municipality_codes": "Ingebracht door",
    "answer": "Antwoord van het ministerie",
}

# What the registration schemas and use cases say, in Dutch.
PHRASEBOOK = Phrasebook(
    (
        (
            r"Give a municipality_code or an organisation",
            "Kies uw gemeente of vul uw organisatie in.",
        ),
        (r"must end after it starts", "De bijeenkomst moet eindigen nadat ze begint."),
        (r"must close before the meeting", "Aanmelden moet sluiten voordat de bijeenkomst begint."),
        (r"cancelled and can no longer", "Deze bijeenkomst is afgelast en kan niet meer wijzigen."),
        (r"meeting has been cancelled", "Deze bijeenkomst is afgelast; aanmelden kan niet meer."),
        (r"Registration closed", "De aanmelding voor deze bijeenkomst is gesloten."),
        (
            r"Raad voor Raad meetings are for",
            "Raad voor Raad-bijeenkomsten zijn alleen voor raadsleden en wethouders. Als "
            "ambtenaar of namens een andere organisatie bent u van harte welkom op een "
            "regionale GIA-bijeenkomst.",
        ),
        (r"(?P<email>\S+) is already registered", "{email} is al aangemeld voor deze bijeenkomst."),
        (
            r"meeting is full; raise its capacity",
            "De bijeenkomst is vol. Verhoog eerst het aantal plaatsen om iemand binnen te laten.",
        ),
        (
            r"(?P<count>\d+) people already have a confirmed seat",
            "{count} deelnemers hebben al een bevestigde plaats; "
            "het aantal plaatsen kan niet lager zijn.",
        ),
        (
            r"has been checked in; undo",
            "U bent al binnen gemeld bij de bijeenkomst; afmelden kan niet meer.",
        ),
        (
            r"Only confirmed registrations can check in",
            "Alleen wie een bevestigde plaats heeft, kan binnen worden gemeld.",
        ),
        (
            r"erased once the programme year",
            "Persoonsgegevens kunnen pas worden gewist als het programmajaar voorbij is.",
        ),
        (r"There is no meeting", "Deze bijeenkomst bestaat niet."),
        (r"There is no registration", "Deze aanmelding bestaat niet."),
        (r"There is no signal", "Dit signaal bestaat niet."),
        (
            r"was cancelled; no signals",
            "Deze bijeenkomst is afgelast; er zijn geen signalen ingebracht.",
        ),
        (
            r"Signals can be recorded once",
            "Signalen legt u vast zodra de bijeenkomst begonnen is.",
        ),
        (r"already been answered", "Dit signaal is al beantwoord en het antwoord is verstuurd."),
        (r"May not be empty", "Vul dit veld in."),
        (r"Choose between \d+ and \d+ themes", "Kies minstens één thema."),
        (
            r"Name between \d+ and (?P<high>\d+) municipalities",
            "Kies of typ minstens één gemeente (hoogstens {high}).",
        ),
        (
            r"link does not open",
            "Deze link is niet geldig. Gebruik de link uit de e-mail die u van ons kreeg.",
        ),
    )
)
