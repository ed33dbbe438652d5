"""The indicators pages' Dutch words: names of the figures, the survey's questions and
choices, the form labels, and the Dutch for the schemas' messages."""

from __future__ import annotations

from services.indicators import feeds
from services.indicators.appreciation import QUESTIONS
from services.indicators.evaluation import TOTAL, evaluation
from shared.web.forms import Phrasebook

# Activity counts praktijkteam requests and essays submitted (``rules``), apart from the figures.
NAMES = {**feeds.NAMES, "activity": "Activiteit (praktijkteamaanvragen en essays)"}
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
#: The programme's name in 2012 (letter of 7 June 2012); 2008-2011 was the Gemeenschappelijke
#: Integratieagenda, as the evaluation's data file names it.
PROGRAMME_2012 = "Gemeenschappelijke Integrale Aanpak (GIA)"
COMPARED_NOTE = (
    "{then} De doelen voor 2012 gelden voor de doelgroep ({target_group} gemeenten met 12,5% of "
    "meer niet-westerse migranten); vergelijk 2008-2011 daarom met de kolom alle gemeenten "
    "({all} gemeenten in het register van 2012)."
)
#: What the survey asks, per question of the evaluation it asks again (``appreciation``).
ASKED = {
    "guide_appreciation": "Wat vindt u van de nieuwe GIA-handreiking? De handreiking is …",
    "meeting_appreciation": "Wat vindt u van de GIA-bijeenkomsten die uw gemeente bezocht?",
    "approach_appreciation": (
        "Wat vindt u van de werkwijze van de GIA, waarin Rijk en gemeenten samen optrekken?"
    ),
    "cmo_right_party": (
        "Zijn de CMO's (centra voor maatschappelijke ontwikkeling) de juiste partij om de "
        "GIA-bijeenkomsten te organiseren?"
    ),
    "desired_participants": "Wie wilt u bij de GIA-bijeenkomsten zien?",
    "wants_to_continue": "Heeft uw gemeente behoefte om de GIA voort te zetten?",
}
STATEMENTS_HINT = "Geef bij elke uitspraak aan in hoeverre u het ermee eens bent."
NO_ANSWER = "Geen antwoord"
#: How staff group the answers, as the page's links name it and as headings say it.
GROUPINGS = {"band": "aandeel niet-westerse migranten", "region": "regio"}


def group_name(group: str) -> str:
    """A band as the evaluation prints it (table 1), a region by its name, the total in words."""
    if group == TOTAL:
        return "Alle gemeenten"
    band = evaluation().table(1).row(group)
    return band.label if band else group


FIELDS = {
    **{question.field: ASKED[question.field] for question in QUESTIONS},
    **{
        f"{question.field}.{item.key}": f"{ASKED[question.field]} {item.label}"
        for question in QUESTIONS
        if question.statements
        for item in question.items
    },
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
