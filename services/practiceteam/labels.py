"""Labels of the praktijkteam pages and mails, and the Dutch for what its schemas and use
cases say."""

from __future__ import annotations

from marshmallow import ValidationError

from services.practiceteam.domain import Party, Status
from shared.problems import Problem
from shared.web.forms import Feedback, Phrasebook

STATUS_LABELS: dict[str, str] = {
    Status.SUBMITTED: "ingediend",
    Status.INTAKE: "in intake",
    Status.ACCEPTED: "toegekend",
    Status.DECLINED: "afgewezen",
    Status.PLANNED: "ingepland",
    Status.IN_PROGRESS: "in uitvoering",
    Status.COMPLETED: "afgerond",
    Status.CLOSED: "gesloten",
    Status.WITHDRAWN: "ingetrokken",
}
# What the municipality waits for next, as the pages and mails say it.
STEP_LABELS: dict[str, str] = {
    "intake": "de intake van uw aanvraag",
    "decision": "ons besluit over uw aanvraag",
    "planning": "de planning van het praktijkteam",
    "start": "de start van het praktijkteam",
    "report": "het verslag van het praktijkteam",
    "evaluation": "uw evaluatie",
}
# What staff do when they choose a next status.
MOVE_LABELS = {
    Status.INTAKE: "Intake starten",
    Status.ACCEPTED: "Toekennen",
    Status.DECLINED: "Afwijzen (met reden)",
    Status.PLANNED: "Inplannen (team en data)",
    Status.IN_PROGRESS: "Uitvoering gestart",
    Status.COMPLETED: "Afronden (verslag en afspraken)",
    Status.CLOSED: "Sluiten",
    Status.WITHDRAWN: "Intrekken namens de gemeente",
}
PARTY_LABELS = {Party.MINISTRY: "het ministerie", Party.MUNICIPALITY: "de gemeente"}
KIND_LABELS = {
    "question": "Vraag van het ministerie",
    "answer": "Antwoord van de gemeente",
    "information": "Aanvulling van de gemeente",
}
ROLE_LABELS = {"lead": "trekker", "member": "lid"}
# The meetings signals are raised at, as registration names their kinds.
MEETING_LABELS = {"gia": "GIA-bijeenkomst", "raad_voor_raad": "Raad voor Raad-bijeenkomst"}
SORT_LABELS = {
    "target_group": "doelgroepgemeenten eerst",
    "oldest": "langst wachtend eerst",
    "newest": "nieuwste eerst",
}
# The queue's age filter: requests older than this many days.
AGE_LABELS = {"7": "ouder dan een week", "14": "ouder dan twee weken", "30": "ouder dan een maand"}
SCORE_LABELS = {
    "1": "1 (slecht)",
    "2": "2 (matig)",
    "3": "3 (voldoende)",
    "4": "4 (goed)",
    "5": "5 (uitstekend)",
}
FIELD_LABELS = {
    "municipality_codes": "Gemeente(n)",
    "lead_municipality_code": "Trekkende gemeente",
    "contact.name": "Naam contactpersoon",
    "contact.email": "E-mailadres",
    "contact.phone": "Telefoonnummer",
    "contact.function": "Functie",
    "question": "Uw vraag",
    "themes": "Thema's",
    "tried": "Wat heeft u al geprobeerd?",
    "desired_period": "Gewenste periode",
    "file": "Bijlage",
    "body": "Bericht",
    "note": "Toelichting",
    "to": "Nieuwe status",
    "reason": "Reden van afwijzing (de gemeente ziet deze)",
    "dates": "Data (bij inplannen)",
    "dates.date": "Datum",
    "dates.description": "Omschrijving",
    "report": "Verslag",
    "agreements": "Gemaakte afspraken",
    "score": "Uw oordeel",
    "comment": "Toelichting",
    "name": "Naam",
    "email": "E-mailadres",
    "role": "Rol",
    "summary": "Samenvatting",
    "shareable": "Mag gedeeld worden met alle gemeenten",
    "status": "Status",
    "theme": "Thema",
    "region": "Regio",
    "target_group": "Alleen doelgroepgemeenten",
    "overdue": "Alleen te lang wachtend op intake",
    "older_than_days": "Leeftijd",
    "sort": "Volgorde",
    "confirm": "Ik begrijp dat dit niet ongedaan kan worden gemaakt",
}

PHRASEBOOK = Phrasebook(
    (
        (r"May not be empty", "Vul dit veld in."),
        (r"Name each municipality once", "Noem elke gemeente één keer."),
        (
            r"names its lead municipality",
            "Een aanvraag voor meer gemeenten noemt de trekkende gemeente.",
        ),
        (
            r"lead municipality must be one of",
            "De trekkende gemeente moet een van de genoemde gemeenten zijn.",
        ),
        (
            r"Digits, spaces",
            "Vul een telefoonnummer in met cijfers (en eventueel +, - of spaties).",
        ),
        (r"cannot become (?P<to>\w+); it can become", "Deze stap kan nu niet meer."),
        (r"changed since version", "De aanvraag is intussen gewijzigd. Bekijk hem opnieuw."),
        (r"Needed to become", "Vul dit in voor deze stap."),
        (r"needs: team", "Wijs eerst een teamlid toe."),
        (r"needs: evaluation", "De gemeente heeft de aanvraag nog niet geëvalueerd."),
        (r"Not used by a move", "Dit hoort niet bij deze stap; laat het leeg."),
        (r"nothing can be added", "Aan deze aanvraag kan niets meer worden toegevoegd."),
        (r"team can no longer change", "Het team kan niet meer veranderen."),
        (r"keeps at least one team member", "De aanvraag houdt minstens één teamlid."),
        (r"already on this request's team", "Deze persoon zit al in het team."),
        (r"A reply answers", "Dit bericht kunt u niet beantwoorden."),
        (
            r"can be erased once it is",
            "Persoonsgegevens worden pas gewist als de aanvraag gesloten, afgewezen of "
            "ingetrokken is.",
        ),
        (r"Confirm the erasure", "Vink aan dat u de persoonsgegevens wilt wissen."),
        (r"was erased with the request", "Dit document is gewist met de persoonsgegevens."),
        (r"There is no praktijkteam request", "Deze aanvraag bestaat niet."),
        (r"has no (attachment|team member)", "Dit bestaat niet (meer) bij deze aanvraag."),
        (
            r"link does not open",
            "Deze link is niet geldig. Gebruik de link uit de e-mail die u van ons kreeg.",
        ),
    ),
    choices={"to": "nieuwe status", "score": "oordeel", "role": "rol"},
    groups={"themes": "thema"},
)


def refusal_feedback(error: ValidationError | Problem) -> Feedback:
    """What a refused form says in Dutch. A refused document is shown beside the file
    field, where it can be chosen again; a refused move names the moves still possible,
    as the API's 409 lists them."""
    feedback = PHRASEBOOK.feedback(error)
    if feedback.message and feedback.status in (413, 415):
        return Feedback(feedback.status, {"file": feedback.message})
    if feedback.message and isinstance(error, Problem) and "allowed" in error.extra:
        allowed = [STATUS_LABELS[status] for status in error.extra["allowed"]]
        after = (
            f"Mogelijke volgende status: {', '.join(allowed)}."
            if allowed
            else f"De aanvraag is {STATUS_LABELS[error.extra['current_status']]}; "
            "er is geen volgende stap meer."
        )
        return Feedback(feedback.status, feedback.errors, f"{feedback.message} {after}")
    return feedback
