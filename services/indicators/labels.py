"""The indicators pages' Dutch words: names of the figures, the survey's questions and
choices, the form labels, and the Dutch for the schemas' messages."""

from __future__ import annotations

from services.indicators import feeds
from shared.web.forms import Phrasebook

NAMES = {**feeds.NAMES, "activity": "Activiteit"}
USES = {
    "discussed": (
        "De handreiking en/of de uitkomsten van de bijeenkomsten zijn binnen de gemeente besproken"
    ),
    "policy": "Er is of wordt een (nieuwe) integratienota vastgesteld",
    "sector_paragraph": "Bij sectoraal beleid is of wordt een integratieparagraaf toegevoegd",
    "projects": "Er zijn een of meer nieuwe integratieprojecten gestart",
    "other": "Anders",
    "planned": "Nog niet, maar dat gaat nog gebeuren",
}
FIELDS = {
    "knows_guide": "Kent uw gemeente de GIA-handreiking?",
    "read_guide": "Is de handreiking binnen uw gemeente gelezen?",
    "uses": "Hoe heeft uw gemeente de handreiking gebruikt?",
    "other_use": "Anders, namelijk",
    "lines": "Gemeente (naam of code) en e-mailadres, één per regel",
    "file": "Of een CSV-bestand met dezelfde regels",
    "only_unanswered": "Alleen gemeenten die nog niet hebben geantwoord",
}
PHRASEBOOK = Phrasebook(
    (
        (r"used otherwise", "Beschrijf hoe de handreiking anders is gebruikt."),
        (r"each way of use once", "Kies elke manier van gebruik één keer."),
        (
            r"Unknown municipality code '(?P<code>[^']*)'",
            "gemeentecode {code} staat niet in het register.",
        ),
        (
            r"more than one municipality\. Did you mean: (?P<names>[^?]*)\?$",
            "er zijn meer gemeenten met deze naam; bedoelt u: {names}?",
        ),
        (
            r"Unknown municipality .*Did you mean: (?P<names>[^?]*)\?$",
            "deze gemeente kennen wij niet; bedoelt u: {names}?",
        ),
        (r"Unknown municipality|Give a municipality:", "deze gemeente kennen wij niet."),
        (r"given twice", "deze gemeente met dit e-mailadres staat al op een eerdere regel."),
        (
            r"municipality code and an e-mail address",
            "geef een gemeentecode en een e-mailadres, gescheiden door ; of ,.",
        ),
        (r"Not a valid email", "dit is geen geldig e-mailadres."),
        (r"Give 1 to (?P<most>\d+) invitations", "Geef 1 tot {most} regels."),
    )
)
