"""Forms on the Dutch pages: labels, messages in Dutch, and posted forms through the schemas.

Use cases speak English (their Problems also answer the API); this module turns
their messages into Dutch for the people reading the pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from services.registration.domain import AMSTERDAM, Status
from shared.problems import Problem
from shared.web.errors import DUTCH_STATUS

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
}

# The English messages of marshmallow, the schemas and the use cases, in Dutch; first match wins.
DUTCH: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"Missing data for required field|may not be null", "Vul dit veld in."),
        (r"Not a valid email", "Vul een geldig e-mailadres in, zoals naam@gemeente.nl."),
        (r"Unknown municipality code", "Deze gemeente kennen wij niet; kies er een uit de lijst."),
        (
            r"Give a municipality_code or an organisation",
            "Kies uw gemeente of vul uw organisatie in.",
        ),
        (r"Must be one of", "Kies een van de mogelijkheden."),
        (
            r"Length must be between (?P<low>\d+) and (?P<high>\d+)",
            "Vul {low} tot {high} tekens in.",
        ),
        (r"Shorter than minimum length (?P<low>\d+)", "Vul minstens {low} tekens in."),
        (r"Longer than maximum length (?P<high>\d+)", "Vul hoogstens {high} tekens in."),
        (r"Not a valid integer", "Vul een geheel getal in."),
        (
            r"greater than or equal to (?P<low>\d+) and less than or equal to (?P<high>\d+)",
            "Vul een getal van {low} tot en met {high} in.",
        ),
        (r"Not a valid (aware )?datetime", "Vul een datum en tijd in."),
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
        (
            r"link does not open",
            "Deze link is niet geldig. Gebruik de link uit de e-mail die u van ons kreeg.",
        ),
    )
)
# When no message above matches: what the status alone says.
EXPIRED_FORM = "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def dutch(english: str, status: int) -> str:
    """The Dutch for a message; an unforeseen one falls back to what its status says."""
    for pattern, text in DUTCH:
        if found := pattern.search(english):
            return text.format(**found.groupdict())
    return DUTCH_STATUS.get(status, DUTCH_STATUS[400])


def first_message(messages: Any) -> str:
    """marshmallow nests messages (per list item, for one); the first says enough."""
    if isinstance(messages, str):
        return messages
    return first_message(
        next(iter(messages.values() if isinstance(messages, Mapping) else messages))
    )


@dataclass(frozen=True)
class Feedback:
    """What a refused form tells the person: a Dutch message per field and/or in general."""

    status: int = 200
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None

    @classmethod
    def of(cls, error: ValidationError | Problem) -> Feedback:
        if isinstance(error, ValidationError):
            messages = error.normalized_messages()
            return cls(
                422, {name: dutch(first_message(found), 422) for name, found in messages.items()}
            )
        errors = error.extra.get("errors") or {}
        return cls(
            error.status,
            {name: dutch(first_message(found), error.status) for name, found in errors.items()},
            None if errors else dutch(error.detail, error.status),
        )


def load_form(schema: Schema) -> dict[str, Any]:
    """The POSTed form through one of the API's schemas; raises ValidationError.

    Forms send empty strings, leave unticked boxes out and hold Amsterdam wall-clock
    times; the schemas want absent or None, False, and times with an offset.
    """
    form = request.form
    data: dict[str, Any] = {}
    for name, spec in schema.fields.items():
        value = form.get(name, "").strip()
        if isinstance(spec, fields.List):
            data[name] = form.getlist(name)
        elif isinstance(spec, fields.Boolean):
            data[name] = name in form
        elif value:
            data[name] = _with_offset(value) if isinstance(spec, fields.DateTime) else value
        elif spec.allow_none:
            data[name] = None
    return schema.load(data)


def form_values(schema: Schema, thing: Any) -> MultiDict[str, Any]:
    """What a form shows for ``thing`` before it is edited: the reverse of ``load_form``."""
    values: MultiDict[str, Any] = MultiDict()
    for name, spec in schema.fields.items():
        value = getattr(thing, name)
        if isinstance(spec, fields.List):
            values.setlist(name, value)
        elif isinstance(spec, fields.DateTime):
            values[name] = value.astimezone(AMSTERDAM).strftime(LOCAL_INPUT)
        elif value not in (None, False):
            values[name] = value
    return values


def _with_offset(value: str) -> str:
    """Amsterdam wall-clock time with its offset of that day (summer or winter time)."""
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return value  # the schema says what is wrong with it
    return (local if local.tzinfo else local.replace(tzinfo=AMSTERDAM)).isoformat()
