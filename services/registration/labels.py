"""Labels of the registration pages, and the Dutch for what its schemas and use cases say."""

from __future__ import annotations

from services.registration.domain import Status
from shared.municipalities import REGIONS
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
    "organiser": "Organisator",
    "host_municipality_code": "Gastgemeente",
    "admits_aldermen": "Raad voor Raad: ook wethouders zijn welkom",
    "year": "Programmajaar",
    "text": "Het signaal",
    "municipality_codes": "Ingebracht door",
    "answer": "Antwoord van het ministerie",
}

# The plan form's inputs: meetings of a kind planned in a region.
FIELD_LABELS.update(
    {
        f"{kind}.{region}": f"{label}, {region}"
        for kind, label in KIND_LABELS.items()
        for region in REGIONS
    }
)
# Where a meeting stands against the plan (services.registration.domain.MeetingState).
TALLY_LABELS = {
    "planned": "Gepland",
    "scheduled": "Aangekondigd",
    "held": "Gehouden",
    "ended_without_attendance": "Voorbij zonder presentielijst",
    "cancelled": "Afgelast",
    "to_schedule": "Nog te organiseren",
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
            r"council members only, not for aldermen",
            "Deze Raad voor Raad-bijeenkomst is alleen voor raadsleden; wethouders kunnen zich "
            "hiervoor niet aanmelden.",
        ),
        (
            r"Raad voor Raad meeting is for council members only",
            "Deze Raad voor Raad-bijeenkomst is alleen voor raadsleden. Als ambtenaar of namens "
            "een andere organisatie bent u van harte welkom op een regionale GIA-bijeenkomst.",
        ),
        (
            r"There is no programme year",
            "Dit programmajaar kennen wij niet; kies een jaar van 2000 tot en met 2099.",
        ),
        (
            r"plan for (?P<year>\d+) was changed at the same time",
            "Het plan voor {year} is tegelijk door iemand anders gewijzigd. Bekijk het opnieuw "
            "en sla het dan op.",
        ),
        (
            r"Raad voor Raad meetings are for",
            "Raad voor Raad-bijeenkomsten zijn alleen voor raadsleden en wethouders. Als "
            "ambtenaar of namens een andere organisatie bent u van harte welkom op een "
            "regionale GIA-bijeenkomst.",
        ),
        (
            r"(?P<email>\S+) is already registered",
            "{email} is al aangemeld voor deze bijeenkomst. De mail met uw link kwijt? "
            "Onderaan deze pagina vraagt u hem opnieuw aan.",
        ),
        (
            r"check-in code does not",
            "Deze QR-code hoort niet bij deze aanmelding. Zoek de persoon op de deurlijst.",
        ),
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
    ),
    choices={"role": "rol", "kind": "soort bijeenkomst", "region": "regio"},
    groups={"themes": "thema"},
)
