"""Labels of the essay contest pages, and the Dutch for what its schemas and use cases say."""

from __future__ import annotations

from services.essay_contest.domain import COUNCIL_LINK_VALID
from shared.web.forms import Phrasebook

FIELD_LABELS = {
    "name": "Naam",
    "email": "E-mailadres",
    "municipality_code": "Gemeente",
    "party": "Partij (niet verplicht)",
    "consent_to_publish": "Mijn essay mag worden gepubliceerd als het wint",
    "title": "Titel",
    "text": "Tekst van uw essay",
    "question": "De vraag",
    "rules": "Spelregels",
    "opens_at": "Opent op",
    "closes_at": "Deadline",
    "publishes_at": "Uitslag vanaf",
    "min_words": "Minimum aantal woorden",
    "max_words": "Maximum aantal woorden",
    "min_scores": "Minimum aantal beoordelingen per essay",
    "requires_council_confirmation": (
        "Alleen raadsleden: de griffie van hun gemeente bevestigt elke deelnemer voordat die "
        "een essay kan indienen"
    ),
    "answer": "Antwoord",
    "criteria": "Beoordelingscriteria",
    "criteria.key": "Sleutel",
    "criteria.label": "Naam",
    "criteria.weight": "Gewicht",
    "jury": "Jury",
    "jury.name": "Naam",
    "jury.email": "E-mailadres",
    "jury.municipality_code": "Gemeente",
    "scores": "Cijfers",
    "comment": "Toelichting",
    "final": "Mijn cijfers zijn definitief (daarna kunnen ze niet meer veranderen)",
    "winners": "Winnaars",
    "winners.place": "Plaats",
    "winners.entry_id": "Essay",
    "jury_report": "Juryrapport",
}

STATUS_LABELS = {"draft": "concept", "submitted": "ingediend", "withdrawn": "ingetrokken"}

# What the essay contest's schemas, rules and use cases say, in Dutch.
PHRASEBOOK = Phrasebook(
    (
        (r"There is no contest", "Deze wedstrijd bestaat niet."),
        (r"There is no entrant", "Deze deelnemer bestaat niet."),
        (
            r"griffie has already answered for this council member",
            "De griffie heeft voor dit raadslid al geantwoord. Dat antwoord blijft staan; deze "
            "link kan niet nog eens worden gebruikt.",
        ),
        (
            r"griffie link has expired",
            f"Deze link is verlopen: hij was {COUNCIL_LINK_VALID.days} dagen geldig. Het "
            "raadslid kan op de eigen pagina een nieuwe aanvragen; u krijgt die dan per e-mail.",
        ),
        (
            r"griffie link is not valid",
            "Deze link is niet geldig. Gebruik de link uit de e-mail die u van ons kreeg.",
        ),
        (
            r"griffie answered that (?P<name>.+) does not sit on the municipal council",
            "De griffie heeft laten weten dat {name} geen lid is van de gemeenteraad. Deze "
            "wedstrijd is voor raadsleden; het essay kan niet worden ingediend.",
        ),
        (
            r"No griffie address is known for the municipality of (?P<name>.+) yet",
            "Wij kennen het e-mailadres van de griffie van de gemeente van {name} nog niet, dus "
            "kan nog niemand bevestigen dat {name} raadslid is. Zodra wij het adres hebben, "
            "vragen wij de griffie om bevestiging; daarna kan het essay worden ingediend. Een "
            "concept opslaan kan al wel.",
        ),
        (
            r"griffie has not yet confirmed that (?P<name>.+) sits on the municipal council",
            "De griffie heeft nog niet bevestigd dat {name} in de gemeenteraad zit. Indienen "
            "kan zodra de griffie dat heeft gedaan; een concept opslaan kan al wel.",
        ),
        (
            r"does not ask the griffie to confirm",
            "Voor deze wedstrijd hoeft de griffie niets te bevestigen.",
        ),
        (
            r"No griffie address is known for this municipality yet",
            "Wij kennen het e-mailadres van de griffie van uw gemeente nog niet. Zodra wij het "
            "hebben, vragen wij de griffie om bevestiging; u hoeft daarvoor niets te doen.",
        ),
        (
            r"griffie has been asked already and its link is still valid",
            "De griffie is al gevraagd en de link daarvoor is nog geldig. U kunt de griffie "
            "opnieuw vragen als die link verlopen is.",
        ),
        (r"griffie has already answered", "De griffie heeft al geantwoord."),
        (r"No griffie address is known for GM", "Voor deze gemeente is geen griffie-adres bekend."),
        (
            r"griffie address of \S+ changed meanwhile",
            "Het griffie-adres van deze gemeente is net door iemand anders gewijzigd; probeer "
            "het opnieuw.",
        ),
        (r"sign-up no longer exists", "Deze aanmelding bestaat niet meer."),
        (
            r"(?P<email>\S+) has already signed up",
            "{email} is al aangemeld voor deze wedstrijd.",
        ),
        (
            r"(?P<email>\S+) has not signed up for this contest",
            "{email} heeft zich nog niet aangemeld (en bevestigd) voor deze wedstrijd.",
        ),
        (r"(?P<email>\S+) is already an author", "{email} is al auteur van een essay."),
        (
            r"results have been published",
            "De uitslag is gepubliceerd; dit kan niet meer veranderen.",
        ),
        (
            r"jury has started scoring",
            "De jury is begonnen met beoordelen; de criteria kunnen niet meer veranderen.",
        ),
        (r"contest opens at (?P<when>.+) \(Amsterdam", "De wedstrijd begint op {when} uur."),
        (
            r"deadline was (?P<when>.+) \(Amsterdam",
            "De deadline was {when} uur. Essays liggen vast en kunnen niet meer veranderen.",
        ),
        (
            r"Judging starts after the deadline of (?P<when>.+) \(Amsterdam",
            "Het beoordelen begint na de deadline van {when} uur.",
        ),
        (r"must close after it opens", "De wedstrijd moet sluiten nadat hij opent."),
        (
            r"must be published after the contest closes",
            "De uitslag moet na de deadline worden gepubliceerd.",
        ),
        (
            r"maximum number of words must not be below",
            "Het maximum aantal woorden mag niet lager zijn dan het minimum.",
        ),
        (
            r"Confirm your e-mail address",
            "Bevestig eerst uw e-mailadres met de link uit onze e-mail.",
        ),
        (r"You already have an entry", "U heeft al een essay: elk raadslid schrijft er één."),
        (
            r"invited to co-author an entry; decline",
            "U bent uitgenodigd als mede-auteur. Weiger de uitnodiging eerst als u zelf een "
            "essay wilt schrijven.",
        ),
        (r"You have no entry yet", "U heeft nog geen essay; begin er eerst een."),
        (
            r"Confirm that you co-author",
            "Bevestig eerst dat u mede-auteur bent voordat u het essay wijzigt.",
        ),
        (
            r"essay has (?P<words>\d+) words; it needs at least (?P<low>\d+) "
            r"\(at most (?P<high>\d+)",
            "Het essay telt {words} woorden; het moet er minstens {low} hebben "
            "(en hoogstens {high}).",
        ),
        (
            r"essay has (?P<words>\d+) words; it may have at most (?P<high>\d+) "
            r"\(at least (?P<low>\d+)",
            "Het essay telt {words} woorden; het mag er hoogstens {high} hebben "
            "(en minstens {low}).",
        ),
        (
            r"Not every author has confirmed yet: (?P<names>.+)\.",
            "Nog niet alle auteurs hebben bevestigd: {names}.",
        ),
        (
            r"Add co-authors before you submit",
            "Nodig mede-auteurs uit voordat u indient; trek het essay eerst in.",
        ),
        (r"at most (?P<most>\d+) authors", "Een essay heeft hoogstens {most} auteurs."),
        (r"not been invited to co-author", "U bent niet uitgenodigd als mede-auteur."),
        (r"no open invitation to take back", "Deze uitnodiging staat niet meer open."),
        (
            r"entry has been submitted; ask its author",
            "Dit essay is al ingediend; vraag de auteur het eerst in te trekken.",
        ),
        (r"not on the jury of this contest", "U zit niet in de jury van deze wedstrijd."),
        (r"no such entry for you to judge", "Dit essay staat niet op uw lijst."),
        (
            r"conflict of interest with this entry",
            "U heeft een belangenconflict met dit essay en beoordeelt het niet.",
        ),
        (r"Score every criterion", "Geef voor elk criterium een cijfer."),
        (
            r"Each score is from (?P<low>\d+) to (?P<high>\d+)",
            "Elk cijfer is van {low} tot en met {high}.",
        ),
        (r"submitted and are final", "Uw cijfers voor dit essay zijn ingediend en staan vast."),
        (
            r"winners can be chosen after the deadline",
            "De winnaars kunnen pas na de deadline worden gekozen.",
        ),
        (
            r"submitted entr(y|ies) of this contest",
            "Alleen ingediende essays van deze wedstrijd kunnen winnen.",
        ),
        (
            r"results can be published from (?P<when>.+) \(Amsterdam",
            "De uitslag kan worden gepubliceerd vanaf {when} uur.",
        ),
        (r"Choose the winners first", "Kies eerst de winnaars."),
        (r"have not been published yet", "De uitslag van deze wedstrijd is nog niet bekend."),
        (
            r"Personal data can be erased once",
            "Persoonsgegevens kunnen pas worden gewist als de uitslag is gepubliceerd.",
        ),
        (
            r"link does not open",
            "Deze link is niet geldig. Gebruik de link uit de e-mail die u van ons kreeg.",
        ),
        (r"confirmation link is not valid", "Deze bevestigingslink is niet geldig."),
        (
            r"confirmation link has expired",
            "Deze bevestigingslink is verlopen. Meld u opnieuw aan; u krijgt dan een nieuwe.",
        ),
        (r"Use a-z and _", "Gebruik alleen kleine letters (a-z) en _."),
        (r"criterion needs a key of its own", "Geef elk criterium een eigen sleutel."),
        (r"jury member is listed once", "Noem elk jurylid één keer."),
        (r"Not a valid UUID", "Kies een essay uit de lijst."),
        (r"Each entry wins one place at most", "Een essay krijgt hoogstens één plaats."),
    )
)
