"""Dutch forms on top of the API's schemas: posted forms in, Dutch messages out.

Use cases and schemas speak English (their messages also answer the API). A
service's ``Phrasebook`` turns them into Dutch for the people reading its
pages: the common messages of marshmallow and the shared schemas, and its own,
worded for what the field is on the page (a list to choose from, boxes to tick,
or text to type).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from flask import Blueprint, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from shared.clock import AMSTERDAM
from shared.problems import Problem
from shared.web.errors import DUTCH_STATUS, page_status
from shared.web.fields import refuse_nul
from shared.web.municipality_input import choice_name

T = TypeVar("T")
EXPIRED_FORM = "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows

# What every service's forms can meet: marshmallow's own messages and the shared validators.
COMMON: tuple[tuple[str, str], ...] = (
    (r"Missing data for required field|may not be null", "Vul dit veld in."),
    (r"Not a valid email", "Vul een geldig e-mailadres in, zoals naam@gemeente.nl."),
    # The municipality input offers the candidates beside the field to choose from.
    (
        r"more than one municipality\. Did you mean",
        "Er zijn meer gemeenten met deze naam. Kies de gemeente die u bedoelt.",
    ),
    (
        r"Unknown municipality .*Did you mean",
        "Deze gemeente kennen wij niet. Kies de gemeente die u bedoelt, of typ de naam opnieuw.",
    ),
    (r"Give a municipality:", "Vul de naam van de gemeente in."),
    (r"Unknown municipality", "Deze gemeente kennen wij niet. Typ de naam van de gemeente."),
    (r"Must be one of", "Kies een van de mogelijkheden."),
    (r"Length must be between (?P<low>\d+) and (?P<high>\d+)", "Vul {low} tot {high} tekens in."),
    (r"Shorter than minimum length (?P<low>\d+)", "Vul minstens {low} tekens in."),
    (r"Longer than maximum length (?P<high>\d+)", "Vul hoogstens {high} tekens in."),
    (r"Not a valid integer", "Vul een geheel getal in."),
    (
        r"greater than or equal to (?P<low>\d+) and less than or equal to (?P<high>\d+)",
        "Vul een getal van {low} tot en met {high} in.",
    ),
    (r"Not a valid (aware )?datetime", "Vul een datum en tijd in."),
    (r"between 2000 and 2099", "Vul een datum tussen 2000 en 2099 in."),
    (r"NUL character", "Deze tekst bevat een teken dat wij niet kunnen bewaren."),
    (r"Not a valid date", "Vul een datum in."),
    # What shared.web.mail_limits refuses.
    (
        r"Too many forms that send mail came from your address",
        "Vanaf uw adres zijn kort na elkaar te veel formulieren verstuurd. Wacht even en "
        "probeer het dan opnieuw.",
    ),
    (
        r"Too many mails went to this e-mail address",
        "Naar dit e-mailadres is de laatste tijd te veel mail gestuurd. Probeer het later opnieuw.",
    ),
    # What shared.documents refuses.
    (r"file is empty", "Het bestand is leeg."),
    (
        r"bytes unpacked are taken",
        "Dit document is uitgepakt te groot. Verklein het of stuur het in delen.",
    ),
    (
        r"times is taken",
        "Dit document is zo sterk ingepakt dat wij het niet aannemen. Sla het opnieuw op in "
        "Word, Excel, PowerPoint of OpenOffice en stuur het nog eens.",
    ),
    (r"bytes are taken", "Het bestand is te groot. Verklein het of stuur het in delen."),
    (
        r"not one we take",
        "Dit soort bestand nemen wij niet aan: stuur een PDF, Word-, Excel-, PowerPoint- of "
        "OpenDocument-bestand zonder macro's.",
    ),
)


# What marshmallow says when nothing was chosen, or too few or too many items.
_NOTHING = re.compile(r"Missing data for required field|may not be null")
_COUNT = re.compile(
    r"Length must be between (?P<low>\d+) and (?P<high>\d+)"
    r"|Shorter than minimum length (?P<least>\d+)|Longer than maximum length (?P<most>\d+)"
)


class Kind(Enum):
    """What a field is on the page, which decides how its messages are worded."""

    TEXT = "text"
    CHOICE = "choice"  # one of a list: a select or radio buttons
    GROUP = "group"  # boxes to tick, any number of a list
    LIST = "list"  # a row of inputs to type in


class FormRefusal(ValidationError):
    """A posted form's errors with what each field is and how many items each list got, so
    that "Kies ten minste één thema." is said where "Vul 1 tot 16 tekens in." would mislead."""

    def __init__(
        self, error: ValidationError, kinds: Mapping[str, Kind], counts: Mapping[str, int]
    ) -> None:
        super().__init__(error.messages, data=error.data, valid_data=error.valid_data)
        self.kinds = kinds
        self.counts = counts


@dataclass(frozen=True)
class Feedback:
    """What a refused form tells the person: a Dutch message per field and/or in general."""

    status: int = 200
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None

    def in_page_order(self, page: str) -> list[tuple[str, str]]:
        """The errors in the order the page shows their fields (``page`` is its HTML), so the
        summary reads like the form; one whose field the page lacks comes last."""
        found = {name: page.find(f'id="{name}"') for name in self.errors}
        return sorted(
            self.errors.items(),
            key=lambda item: found[item[0]] if found[item[0]] >= 0 else len(page),
        )


class Phrasebook:
    """English messages to Dutch; the first pattern that matches wins, a service's own first.

    ``choices`` names the fields chosen from a list (selects and radio buttons; a field with
    ``OneOf`` is one anyway) and ``groups`` the boxes to tick, each with the noun its message
    uses ("rol": "Kies een rol."; "thema": "Kies ten minste één thema.").
    """

    def __init__(
        self,
        own: Iterable[tuple[str, str]],
        *,
        choices: Mapping[str, str] | None = None,
        groups: Mapping[str, str] | None = None,
    ) -> None:
        self.entries = tuple((re.compile(pattern), text) for pattern, text in (*own, *COMMON))
        self.choices = dict(choices or {})
        self.groups = dict(groups or {})

    def dutch(self, english: str, status: int) -> str:
        """An unforeseen message falls back to what its status says."""
        for pattern, text in self.entries:
            if found := pattern.search(english):
                return text.format(**found.groupdict())
        return DUTCH_STATUS.get(status, DUTCH_STATUS[400])

    def feedback(self, error: ValidationError | Problem) -> Feedback:
        if isinstance(error, ValidationError):
            kinds, counts = (
                (error.kinds, error.counts) if isinstance(error, FormRefusal) else ({}, {})
            )
            return Feedback(422, self._per_field(error.normalized_messages(), 422, kinds, counts))
        errors = error.extra.get("errors") or {}
        status = page_status(error)
        return Feedback(
            status,
            self._per_field(errors, status),
            None if errors else self.dutch(error.detail, status),
        )

    def _per_field(
        self,
        messages: Mapping[str, Any],
        status: int,
        kinds: Mapping[str, Kind] | None = None,
        counts: Mapping[str, int] | None = None,
    ) -> dict[str, str]:
        said = {}
        for name, found in _by_field(messages).items():
            english = first_message(found)
            # Items' complaints (keyed by number) are about one item, worded as for text.
            fitting = (
                None
                if isinstance(found, Mapping)
                else self._fitting(name, english, kinds or {}, counts or {})
            )
            said[name] = fitting or self.dutch(english, status)
        return said

    def _fitting(
        self, name: str, english: str, kinds: Mapping[str, Kind], counts: Mapping[str, int]
    ) -> str | None:
        """Nothing chosen, or too few or too many items of a list, worded for the kind of
        field; None where the phrasebook's message fits."""
        if name in self.choices:
            kind = Kind.CHOICE
        else:
            kind = Kind.GROUP if name in self.groups else kinds.get(name, Kind.TEXT)
        nothing = _NOTHING.search(english)
        if kind is Kind.CHOICE and nothing:
            noun = self.choices.get(name)
            return f"Kies een {noun}." if noun else "Kies een van de mogelijkheden."
        count = nothing or _COUNT.search(english)
        if kind not in (Kind.GROUP, Kind.LIST) or count is None:
            return None
        bounds = count.groupdict()
        high = bounds.get("most") or bounds.get("high")
        least = int(bounds.get("least") or bounds.get("low") or 1)
        verb, end = ("Kies", "") if kind is Kind.GROUP else ("Vul", " in")
        if bounds.get("most") or (high and counts.get(name, 0) > int(high)):
            return f"{verb} er hoogstens {high}{end}."
        if least > 1:
            return f"{verb} er ten minste {least}{end}."
        if kind is Kind.GROUP:
            return f"Kies ten minste één {self.groups.get(name, 'mogelijkheid')}."
        return "Vul er ten minste één in."


def _by_field(messages: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A nested schema's messages under dotted names (``contact.email``), as its inputs are named.

    List items are keyed by number and stay with their list.
    """
    flat: dict[str, Any] = {}
    for name, found in messages.items():
        if isinstance(found, Mapping) and set(found) == {"value"}:  # one value of a Dict field
            flat[f"{prefix}{name}"] = found["value"]
        elif isinstance(found, Mapping) and all(isinstance(key, str) for key in found):
            flat.update(_by_field(found, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = found
    return flat


def first_message(messages: Any) -> str:
    """marshmallow nests messages (per list item, for one); the first says enough."""
    if isinstance(messages, str):
        return messages
    return first_message(
        next(iter(messages.values() if isinstance(messages, Mapping) else messages))
    )


def dutch_error_pages(pages: Blueprint, phrasebook: Phrasebook) -> None:
    """A blueprint's refusals as the shared Dutch error page, with the right status."""

    def page(status: int, message: str) -> tuple[str, int]:
        # The way back only to a page of our own.
        referrer = request.referrer or ""
        back = referrer if referrer.startswith(request.host_url) else None
        return render_template("gia/error.html", message=message, back=back), status

    pages.register_error_handler(
        Problem,
        lambda error: page(page_status(error), phrasebook.dutch(error.detail, page_status(error))),
    )
    pages.register_error_handler(
        ValidationError,
        lambda error: page(422, phrasebook.dutch(first_message(error.messages), 422)),
    )
    pages.register_error_handler(CSRFError, lambda _: page(400, EXPIRED_FORM))


def form_step(
    act: Callable[[], T],
    *,
    refused: Callable[[Feedback], ResponseReturnValue],
    feedback: Callable[[ValidationError | Problem], Feedback],
    then: str | Callable[[T], str],
    told: str | Callable[[T], str] | None = None,
) -> ResponseReturnValue:
    """What a posted form does: ``act`` (which loads the form and runs the use case in its
    transaction), then on to the next page saying what happened. A refusal shows the form
    again with what to fix beside each field, and nothing was written."""
    try:
        result = act()
    except (ValidationError, Problem) as error:
        return refused(feedback(error))
    if told is not None:
        flash(told(result) if callable(told) else told)
    return redirect(then(result) if callable(then) else then)


def posted() -> MultiDict[str, str]:
    """What the form sent, to show it again; nothing when it was too large to read."""
    try:
        return request.form
    except RequestEntityTooLarge:
        return MultiDict()


def load_form(schema: Schema) -> dict[str, Any]:
    """The POSTed form through one of the API's schemas; raises FormRefusal.

    Forms send empty strings, leave unticked boxes out and hold Amsterdam wall-clock
    times; the schemas want absent or None, False, and times with an offset.
    """
    data = _from_form(schema, request.form)
    try:
        return schema.load(refuse_nul(data))
    except ValidationError as error:
        kinds = field_kinds(schema)
        counts = {
            name: len(found) for name, found in _by_field(data).items() if isinstance(found, list)
        }
        raise FormRefusal(error, kinds, counts) from error


def field_kinds(schema: Schema, prefix: str = "") -> dict[str, Kind]:
    """What each input of a schema's form is (dotted names, as ``_from_form`` reads them),
    as far as the schema tells: a choice has ``OneOf``, a group is a list of choices."""
    kinds: dict[str, Kind] = {}
    for name, spec in schema.fields.items():
        key = prefix + name
        if isinstance(spec, fields.Nested) and isinstance(spec.schema, Schema):
            kinds.update(field_kinds(spec.schema, f"{key}."))
        elif isinstance(spec, fields.List):
            kinds[key] = Kind.GROUP if _chosen(spec.inner) else Kind.LIST
        elif _chosen(spec):
            kinds[key] = Kind.CHOICE
    return kinds


def _chosen(spec: fields.Field) -> bool:
    return any(isinstance(check, validate.OneOf) for check in spec.validators)


def _from_form(schema: Schema, form: MultiDict[str, str], prefix: str = "") -> dict[str, Any]:
    """A nested schema's inputs are named with dots (``contact.email``); blank list inputs
    (the unused ones of a row of inputs) are left out."""
    data: dict[str, Any] = {}
    for name, spec in schema.fields.items():
        key = prefix + name
        typed = _typed(form, key)
        value = typed[0] if typed else ""
        if isinstance(spec, fields.Nested) and isinstance(spec.schema, Schema):
            data[name] = _from_form(spec.schema, form, f"{key}.")
        elif isinstance(spec, fields.List) and isinstance(spec.inner, fields.Nested):
            if rows := _rows(spec.inner.schema, form, key):
                data[name] = rows  # no rows filled in: as if the list was not sent
        elif isinstance(spec, fields.Dict):
            data[name] = _entries(form, f"{key}.")
        elif isinstance(spec, fields.List):
            data[name] = [item for item in typed if item]
        elif isinstance(spec, fields.Boolean):
            data[name] = key in form
        elif value:
            data[name] = _with_offset(value) if isinstance(spec, fields.DateTime) else value
        elif spec.allow_none:
            data[name] = None
    return data


def _typed(form: MultiDict[str, str], key: str) -> list[str]:
    """What each input named ``key`` holds, or the name chosen for it where the page offered
    names to choose from for the text it holds (``shared.web.municipality_input``)."""
    return [form.get(choice_name(key, text), text).strip() for text in form.getlist(key)]


def _rows(schema: Schema, form: MultiDict[str, str], key: str) -> list[dict[str, Any]]:
    """A list of nested schemas is a table of inputs named ``key.<row>.<field>``; rows left
    wholly blank are left out."""
    row = re.compile(rf"{re.escape(key)}\.(\d+)\.")
    numbers = sorted({int(found[1]) for name in form if (found := row.match(name))})
    rows = [_from_form(schema, form, f"{key}.{number}.") for number in numbers]
    return [data for data in rows if any(value not in (None, False) for value in data.values())]


def _entries(form: MultiDict[str, str], prefix: str) -> dict[str, str]:
    """A Dict field's entries are inputs named ``field.<key>``; blank ones are left out."""
    return {
        name.removeprefix(prefix): value.strip()
        for name, value in form.items()
        if name.startswith(prefix) and value.strip()
    }


def form_values(schema: Schema, thing: Any) -> MultiDict[str, Any]:
    """What a form shows for ``thing`` before it is edited: the reverse of ``load_form``."""
    values: MultiDict[str, Any] = MultiDict()
    for name, spec in schema.fields.items():
        value = getattr(thing, name)
        if isinstance(spec, fields.List) and isinstance(spec.inner, fields.Nested):
            for number, item in enumerate(value):
                for column, found in form_values(spec.inner.schema, item).items(multi=True):
                    values.add(f"{name}.{number}.{column}", found)
        elif isinstance(spec, fields.List):
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
