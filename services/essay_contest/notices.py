"""The contest's mails, in Dutch, composed from the data as it is when the worker sends them."""

from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy.orm import Session

from services.essay_contest import access
from services.essay_contest.domain import COUNCIL_LINK_VALID, CouncilAnswer, EntryStatus, Notice
from services.essay_contest.models import (
    Contest,
    Entrant,
    Entry,
    EntryAuthor,
    Griffie,
    MailQueue,
    Submission,
)
from services.essay_contest.municipality_names import municipality_name
from shared.clock import amsterdam
from shared.db import Database
from shared.mail import Mailer, compose
from shared.mail_queue import Composer, MailWorker
from shared.municipalities import load_register
from shared.settings import Settings

SIGNATURE = [
    "",
    "Met vriendelijke groet,",
    "Het GIA-team van het ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
]


def _mail(settings: Settings, to: list[Entrant], subject: str, lines: list[str]) -> EmailMessage:
    greeting = "Beste " + " en ".join(entrant.name or "" for entrant in to) + ","
    return compose(
        settings,
        ", ".join(entrant.email or "" for entrant in to),
        f"Essaywedstrijd Raad voor Raad: {subject}",
        "\n".join([greeting, "", *lines, *SIGNATURE]),
    )


def _reachable(entrants: list[Entrant]) -> list[Entrant]:
    return [entrant for entrant in entrants if entrant.email]  # erased: nobody to tell


def _authors(entry: Entry) -> list[Entrant]:
    return _reachable([a.entrant for a in entry.authors if a.confirmed_at is not None])


def composers(settings: Settings) -> dict[str, Composer]:
    register = load_register(settings.municipalities_file)

    def confirm_email(session: Session, entrant_id: str) -> EmailMessage | None:
        entrant = session.get(Entrant, entrant_id)
        if entrant is None or not entrant.email or entrant.confirmed_at is not None:
            return None
        # The link's 48 hours run from the (latest) sign-up, by the contest's clock.
        link = access.confirmation_link(settings, entrant.id, entrant.created_at)
        return _mail(
            settings,
            [entrant],
            "bevestig uw e-mailadres",
            [
                "U heeft zich aangemeld voor de essaywedstrijd Raad voor Raad. Bevestig uw",
                "e-mailadres met deze link (48 uur geldig):",
                "",
                link,
                "",
                "Heeft u zich niet aangemeld? Dan kunt u deze e-mail negeren.",
            ],
        )

    def welcome(session: Session, entrant_id: str) -> EmailMessage | None:
        entrant = session.get(Entrant, entrant_id)
        if entrant is None or not entrant.email:
            return None
        contest = session.get_one(Contest, entrant.contest_id)
        council = (
            [
                "",
                "Deze wedstrijd is voor gemeenteraadsleden. Wij vragen de griffie van uw",
                "gemeente te bevestigen dat u in de raad zit. U kunt al schrijven; indienen",
                "kan zodra de griffie heeft bevestigd. Op uw eigen pagina ziet u hoe het",
                "ermee staat.",
            ]
            if contest.requires_council_confirmation
            else []
        )
        return _mail(
            settings,
            [entrant],
            "u kunt beginnen met schrijven",
            [
                "Uw e-mailadres is bevestigd. Via uw persoonlijke link schrijft u uw essay,",
                "slaat u een concept op en dient u het in. Bewaar deze link goed en deel hem",
                "niet: wie hem heeft, kan uw essay lezen en wijzigen.",
                "",
                access.own_page(settings, entrant.id),
                *council,
            ],
        )

    def council_check(session: Session, entrant_id: str) -> EmailMessage | None:
        """To the griffie, about the entrant, with the link made when it was asked."""
        entrant = session.get(Entrant, entrant_id)
        if entrant is None or not entrant.name or entrant.council_answer is not None:
            return None
        griffie = session.get(Griffie, entrant.municipality_code)
        asked = entrant.council_asked_at
        if griffie is None or asked is None:
            return None
        contest = session.get_one(Contest, entrant.contest_id)
        municipality = municipality_name(register, entrant.municipality_code)
        party = f" ({entrant.party})" if entrant.party else ""
        return compose(
            settings,
            griffie.email,
            f"Essaywedstrijd Raad voor Raad: zit {entrant.name} in de gemeenteraad?",
            "\n".join(
                [
                    "Geachte griffier,",
                    "",
                    f"{entrant.name}{party} heeft zich aangemeld voor de essaywedstrijd",
                    f"“{contest.title}” als lid van de gemeenteraad van {municipality}.",
                    "De wedstrijd staat alleen open voor gemeenteraadsleden. Wilt u via deze",
                    f"link laten weten of {entrant.name} in uw raad zit?",
                    "",
                    access.COUNCIL.link(settings, entrant.id, asked),
                    "",
                    f"De link is geldig tot {amsterdam(asked + COUNCIL_LINK_VALID)} uur en kan",
                    "één keer worden gebruikt. Kent u deze persoon niet als raadslid, dan kunt",
                    "u dat via dezelfde link laten weten.",
                    *SIGNATURE,
                ]
            ),
        )

    def council_answered(session: Session, entrant_id: str) -> EmailMessage | None:
        entrant = session.get(Entrant, entrant_id)
        if entrant is None or not entrant.email or entrant.council_answer is None:
            return None
        municipality = municipality_name(register, entrant.municipality_code)
        if entrant.council_answer == CouncilAnswer.CONFIRMED:
            subject, lines = (
                "de griffie heeft bevestigd dat u raadslid bent",
                [
                    f"De griffie van {municipality} heeft bevestigd dat u lid bent van de",
                    "gemeenteraad. U kunt uw essay nu indienen via uw persoonlijke link:",
                ],
            )
        else:
            subject, lines = (
                "de griffie kon niet bevestigen dat u raadslid bent",
                [
                    f"De griffie van {municipality} heeft laten weten dat u geen lid bent van",
                    "de gemeenteraad. De wedstrijd staat alleen open voor raadsleden, dus u",
                    "kunt geen essay indienen. Klopt dit niet? Neem dan contact op met de",
                    "griffie van uw gemeente en met ons door op deze e-mail te antwoorden.",
                    "Uw eigen pagina:",
                ],
            )
        return _mail(
            settings, [entrant], subject, [*lines, "", access.own_page(settings, entrant.id)]
        )

    def invited(session: Session, author_id: str) -> EmailMessage | None:
        author = session.get(EntryAuthor, author_id)
        if author is None or author.confirmed_at is not None or not author.entrant.email:
            return None
        lead = author.entry.authors[0].entrant
        return _mail(
            settings,
            [author.entrant],
            "uitnodiging als mede-auteur",
            [
                f"{lead.name} nodigt u uit om mede-auteur te zijn van het essay",
                f"“{author.entry.title}”. Bevestig of weiger dat op uw eigen pagina:",
                "",
                access.own_page(settings, author.entrant.id),
                "",
                "Het essay kan pas worden ingediend als alle auteurs hebben bevestigd.",
            ],
        )

    def receipt(session: Session, submission_id: str) -> EmailMessage | None:
        submission = session.get(Submission, submission_id)
        if submission is None or not _authors(submission.entry):
            return None
        deadline = amsterdam(session.get_one(Contest, submission.entry.contest_id).closes_at)
        return _mail(
            settings,
            _authors(submission.entry),
            "ontvangstbevestiging",
            [
                "Wij hebben uw essay ontvangen. Tot de deadline van",
                f"{deadline} uur (Nederlandse tijd) kunt u het nog herzien of intrekken;",
                "elke herziening krijgt een nieuwe ontvangstbevestiging.",
                "",
                f"Titel:            {submission.title}",
                f"Versie:           {submission.revision}",
                f"Aantal woorden:   {submission.word_count}",
                f"Ontvangen op:     {amsterdam(submission.submitted_at)} uur",
                f"Vingerafdruk:     SHA-256 {submission.fingerprint}",
                "",
                "De vingerafdruk is berekend over de tekst zoals wij die ontvingen. Met",
                "dezelfde tekst komt altijd dezelfde vingerafdruk uit; zo kunt u later",
                "nagaan dat de jury precies deze tekst heeft beoordeeld.",
            ],
        )

    def withdrawn(session: Session, entry_id: str) -> EmailMessage | None:
        entry = session.get(Entry, entry_id)
        if entry is None or entry.status != EntryStatus.WITHDRAWN or not _authors(entry):
            return None
        return _mail(
            settings,
            _authors(entry),
            "essay ingetrokken",
            [
                f"Uw essay “{entry.title}” is ingetrokken en wordt niet beoordeeld.",
                "Tot de deadline kunt u het via uw persoonlijke link opnieuw indienen.",
            ],
        )

    def winner(session: Session, entry_id: str) -> EmailMessage | None:
        entry = session.get(Entry, entry_id)
        if entry is None or entry.place is None or not _authors(entry):
            return None
        return _mail(
            settings,
            _authors(entry),
            "uw essay is bekroond",
            [
                f"Gefeliciteerd! De jury heeft uw essay “{entry.title}” op plaats {entry.place}",
                "gezet. Wij nodigen u graag uit om uw essay te presenteren op een van de",
                "regionale Raad voor Raad-bijeenkomsten; u hoort binnenkort van ons welke.",
            ],
        )

    return {
        Notice.CONFIRM_EMAIL: confirm_email,
        Notice.WELCOME: welcome,
        Notice.CO_AUTHOR_INVITED: invited,
        Notice.RECEIPT: receipt,
        Notice.WITHDRAWN: withdrawn,
        Notice.WINNER: winner,
        Notice.COUNCIL_CHECK: council_check,
        Notice.COUNCIL_ANSWERED: council_answered,
    }


def mail_worker(settings: Settings, db: Database | None = None) -> MailWorker:
    return MailWorker(
        db or Database.for_service(settings, "essay_contest"),
        MailQueue,
        composers(settings),
        Mailer(settings),
    )
