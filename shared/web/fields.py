"""What the services' input schemas share: fields, and text every database can store."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from marshmallow import ValidationError, fields

from shared.clock import utc_text
from shared.municipalities import Register, UnknownMunicipality

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
HOLDS_NUL = "Text may not contain the NUL character (U+0000)."


class Moment(fields.AwareDateTime):
    """A date and time with its offset (ISO 8601), in this century; answered in UTC.

    Far enough from the ends of what Python can count that storing it in UTC and
    showing it in Dutch time, or a day either side of it, always stays a valid date.
    """

    default_error_messages = {"out_of_range": "Use a date and time between 2000 and 2099."}

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else utc_text(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            in_range = EARLIEST <= moment.astimezone(UTC) < LATEST
        except OverflowError:
            in_range = False
        if not in_range:
            raise self.make_error("out_of_range")
        return moment


class Day(fields.Date):
    """A date (ISO 8601) in this century, for the same reason as ``Moment``."""

    default_error_messages = {"out_of_range": "Use a date between 2000 and 2099."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not EARLIEST.date() <= day < LATEST.date():
            raise self.make_error("out_of_range")
        return day


class MunicipalityField(fields.String):
    """A municipality as people write it, by CBS code or by name ("Den Haag", "Bergen (L)"),
    loaded as its CBS code, so every form and API finds municipalities the same way.

    It reads the app's register unless given one. An unknown or ambiguous name is refused
    with the closest names in the message, for the person to choose from.
    """

    def __init__(self, register: Register | None = None, **kwargs: Any) -> None:
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault(
            "description",
            'A municipality: its CBS code (GM0518) or its name ("\'s-Gravenhage", "Den Haag"); '
            "stored and answered as the CBS code",
        )
        super().__init__(metadata=metadata, **kwargs)
        self.register = register

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self._register().resolve(text).code
        except UnknownMunicipality as error:
            raise ValidationError(str(error)) from error

    def _register(self) -> Register:
        if self.register is not None:
            return self.register
        from shared.web.service import service_context  # the app's, once there is an app

        return service_context().register


def refuse_nul(data: Any) -> Any:
    """The input as it is, unless some text in it, a name or a value, holds the NUL character,
    which PostgreSQL does not store: that is refused as bad input, per field where it can be."""
    if isinstance(data, Mapping):
        wrong = {
            str(name): [HOLDS_NUL] for name, value in data.items() if _holds_nul([name, value])
        }
        if wrong:
            raise ValidationError(wrong)
    elif _holds_nul(data):
        raise ValidationError(HOLDS_NUL)
    return data


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return _holds_nul(list(value.items()))
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False
