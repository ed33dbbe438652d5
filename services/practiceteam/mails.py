"""The mails praktijkteam sends to the contact person, in Dutch like the pages people use.

Every one says where the request stands and what comes next, and carries the
personal tracking link to follow the request, answer questions or add to it.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from services.practiceteam import MANIFEST
from services.practiceteam.access import tracking_links
from services.practiceteam.domain import Party, Status
from services.practiceteam.labels import ROLE_LABELS, STATUS_LABELS, STEP_LABELS
from services.practiceteam.models import Assignment, Message, SupportRequest, Transition
from shared.clock import amsterdam
from shared.mail import compose
from shared.municipalities import Register
from shared.settings import Settings

# A notice about one row (a move, a message, a team member) of a request; None when there is
# nobody to tell any more.
Compose = Callable[[Settings, Register, SupportRequest, Any], EmailMessage | None]

# Per status the mail's subject and what it tells.
TELLS: dict[str, tuple[str, str]] = {
    Status.SUBMITTED: (
        "Aanvraag praktijkteam ontvangen",
        "Wij hebben uw aanvraag voor een praktijkteam ontvangen. Binnen tien werkdagen "
        "nemen wij haar in behandeling; in de intake bekijken wij uw vraag en nemen wij zo "
        "nodig contact met u op.",
    ),
    Status.INTAKE: (
        "Aanvraag praktijkteam in behandeling",
        "Wij hebben uw aanvraag in behandeling genomen. In de intake bekijken wij wat een "
        "praktijkteam voor uw vraag kan doen.",
    ),
    Status.ACCEPTED: (
        "Aanvraag praktijkteam toegekend",
        "Wij zetten een praktijkteam in voor uw vraag. Wij stellen het team nu samen en "
        "plannen de data.",
    ),
    Status.DECLINED: (
        "Aanvraag praktijkteam afgewezen",
        "Wij kunnen voor uw vraag helaas geen praktijkteam inzetten.",
    ),
    Status.PLANNED: (
        "Praktijkteam ingepland",
        "Het praktijkteam voor uw vraag is samengesteld en ingepland.",
    ),
    Status.IN_PROGRESS: (
        "Praktijkteam van start",
        "Het praktijkteam is met uw vraag aan de slag.",
    ),
    Status.COMPLETED: (
        "Praktijkteam afgerond: graag uw evaluatie",
        "Het praktijkteam heeft zijn werk afgerond. Hieronder staan het verslag en de "
        "gemaakte afspraken. Wilt u via de link hieronder een cijfer van 1 tot 5 geven en "
        "vertellen hoe u het praktijkteam hebt ervaren? Daarmee sluiten wij uw aanvraag af.",
    ),
    Status.CLOSED: (
        "Aanvraag praktijkteam afgesloten",
        "Dank u voor uw evaluatie. Hiermee is uw aanvraag afgesloten.",
    ),
    Status.WITHDRAWN: (
        "Aanvraag praktijkteam ingetrokken",
        "Uw aanvraag is ingetrokken. Wilt u later toch ondersteuning, dan kunt u een nieuwe "
        "aanvraag doen.",
    ),
}
SIGNATURE = (
    "Met vriendelijke groet,\n"
    "Het praktijkteam GIA van het ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
)


def _details(request: SupportRequest, status: str) -> list[str]:
    """The parts of the request a mail about ``status`` shows, a paragraph each."""
    if status == Status.DECLINED and request.decline_reason:
        return [f"Reden:\n{request.decline_reason}"]
    if status == Status.PLANNED:
        team = "\n".join(f"- {member.name}" for member in request.team)
        dates = "\n".join(
            f"- {row.day:%d-%m-%Y}" + (f": {row.description}" if row.description else "")
            for row in request.dates
        )
        return [f"Het team:\n{team}", f"De data:\n{dates}"]
    if status == Status.COMPLETED:
        return [f"Verslag:\n{request.report}", f"Afspraken:\n{request.agreements}"]
    return []


def _municipalities(register: Register, request: SupportRequest) -> str:
    return ", ".join(
        found.name if (found := register.get(code)) else code for code in request.municipality_codes
    )


def _message(
    settings: Settings,
    register: Register,
    request: SupportRequest,
    subject: str,
    paragraphs: list[str],
) -> EmailMessage:
    facts = [
        f"Gemeente(n): {_municipalities(register, request)}",
        f"Status:      {STATUS_LABELS[request.status]}",
        f"Kenmerk:     {request.id}",
    ]
    step = request.next_step
    if step:
        facts.append(
            f"Volgende stap: {STEP_LABELS[step.step]}, "
            f"verwacht uiterlijk {step.expected_on:%d-%m-%Y}"
        )
    page = tracking_links(settings, request.id)["tracking"]
    text = "\n\n".join(
        [
            f"Beste {request.contact_name},",
            *paragraphs,
            "\n".join(facts),
            f"Uw aanvraag volgen, vragen beantwoorden of informatie toevoegen:\n{page}",
            SIGNATURE,
        ]
    )
    return compose(settings, request.contact_email, subject, text)


def status_changed(
    settings: Settings, register: Register, request: SupportRequest, step: Transition
) -> EmailMessage:
    subject, tells = TELLS[step.to_status]
    paragraphs = [tells]
    if step.note:
        whose = "van het ministerie" if step.actor == Party.MINISTRY else "die u gaf"
        paragraphs.append(f"Toelichting {whose}:\n{step.note}")
    paragraphs += _details(request, step.to_status)
    return _message(settings, register, request, subject, paragraphs)


def question(
    settings: Settings, register: Register, request: SupportRequest, message: Message
) -> EmailMessage:
    return _message(
        settings,
        register,
        request,
        "Vraag over uw aanvraag praktijkteam",
        [
            f"Het ministerie heeft op {amsterdam(message.created_at, '%d-%m-%Y')} een vraag "
            "over uw aanvraag:",
            message.body,
            "U kunt de vraag beantwoorden via de link hieronder.",
        ],
    )


def assigned(
    settings: Settings, register: Register, request: SupportRequest, member: Assignment
) -> EmailMessage | None:
    """To the team member, so they hear of it from us and not first from the municipality:
    the question, who asks it and where staff keep the request."""
    if member.email is None:
        return None  # erased with the request's personal data
    contact = ", ".join(
        part
        for part in (request.contact_name, request.contact_function, request.contact_email)
        if part
    )
    text = "\n\n".join(
        [
            f"Beste {member.name},",
            f"U bent ingedeeld in het praktijkteam voor de aanvraag van "
            f"{_municipalities(register, request)}, als {ROLE_LABELS[member.role]}.",
            f"De vraag:\n{request.question}",
            "\n".join(
                [
                    f"Contactpersoon: {contact}",
                    f"Gewenste periode: {request.desired_period or 'niet opgegeven'}",
                    f"Kenmerk:        {request.id}",
                ]
            ),
            "De aanvraag met haar geschiedenis, de data en de documenten (na inloggen):\n"
            f"{MANIFEST.public_url(settings)}/beheer/aanvragen/{request.id}",
            SIGNATURE,
        ]
    )
    subject = f"Ingedeeld in het praktijkteam: {_municipalities(register, request)}"
    return compose(settings, member.email, subject, text)
