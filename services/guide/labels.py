"""The guide pages' Dutch words, and the Dutch for what its schemas and use cases say."""

from __future__ import annotations

from shared.web.forms import Phrasebook

# The roles a downloader may give, as every GIA form names them.
ROLE_LABELS = {
    "official": "ambtenaar",
    "council_member": "raadslid",
    "alderman": "wethouder",
    "other": "anders",
}
FIELD_LABELS = {
    "municipality_code": "Uw gemeente",
    "role": "Uw rol (optioneel)",
    "email": "Uw e-mailadres (optioneel)",
    "document": "Welk document wilt u downloaden?",
    "title": "Titel",
    "slug": "Adres op de site (optioneel)",
    "summary": "Samenvatting",
    "themes": "Thema's",
    "available_from": "Te downloaden vanaf",
    "counts_for_awareness": "Een download telt mee voor 'bekend met de nieuwe handreiking'",
    "published_on": "Verschenen op",
    "notes": "Wat is er nieuw",
    "description": "Beschrijving",
    "file": "Bestand",
}
ROLE_COUNT_LABELS = {**ROLE_LABELS, "not_given": "niet opgegeven"}

PHRASEBOOK = Phrasebook(
    (
        (r"May not be empty", "Vul dit veld in."),
        (r"Name each theme once", "Kies elk thema één keer."),
        (r"Choose at least one theme", "Kies minstens één thema."),
        (r"Use a-z, 0-9 and -|give a slug", "Gebruik kleine letters, cijfers en streepjes."),
        (r"There is a guide at '(?P<slug>[^']*)' already", "Er is al een handreiking op {slug}."),
        (r"Choose one of this guide's documents", "Kies een van de documenten hieronder."),
        (
            r"can be downloaded from (?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)",
            "Deze handreiking is te downloaden vanaf {day}-{month}-{year}.",
        ),
        (r"has no edition yet", "Van deze handreiking is nog geen editie verschenen."),
        (r"has no (edition|toolbox item)", "Dit document bestaat niet (meer)."),
        (r"is not available; please try again", "Dit bestand is even niet beschikbaar."),
    ),
    choices={"role": "rol"},
    groups={"themes": "thema"},
)
