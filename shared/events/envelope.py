"""The CloudEvents 1.0 envelope in structured JSON, as the NL GOV profile asks.

Built and read with the CloudEvents SDK; the catalogue's schema checks ``data``
both when an event is made and when it is received, so a consumer never acts on
a shape it does not know.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from marshmallow import Schema, ValidationError

from shared.clock import utcnow
from shared.events.catalogue import CATALOGUE

CONTENT_TYPE = JSONFormat.CONTENT_TYPE
_FORMAT = JSONFormat()


class MalformedEvent(ValueError):
    """A message that is not a CloudEvent of a known type with valid data."""


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: dict[str, Any]

    def to_json(self) -> bytes:
        attributes = {
            "specversion": "1.0",
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time,
            "datacontenttype": "application/json",
        }
        return _FORMAT.write(CloudEvent(attributes, self.data))


# Schemas are built once: building one costs more than using it.
_SCHEMAS: dict[str, Schema] = {event_type: schema() for event_type, schema in CATALOGUE.items()}


def schema_for(event_type: str) -> Schema:
    """The catalogue's schema of a type, built once; an unknown type is malformed."""
    schema = _SCHEMAS.get(event_type)
    if schema is None:
        raise MalformedEvent(f"unknown event type {event_type!r}")
    return schema


def _plain_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Checked data in its JSON form (UUIDs and times as text), as it is stored and sent."""
    schema = schema_for(event_type)
    try:
        return schema.dump(schema.load(data))
    except ValidationError as error:
        raise MalformedEvent(f"invalid data for {event_type}: {error.messages}") from error


def _received_data(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Received data is JSON already; it only has to fit the schema."""
    errors = schema_for(event_type).validate(data)
    if errors:
        raise MalformedEvent(f"invalid data for {event_type}: {errors}")
    return data


def new_event(event_type: str, *, source: str, subject: str, data: dict[str, Any]) -> Event:
    return Event(
        id=str(uuid.uuid4()),
        type=event_type,
        source=source,
        subject=subject,
        time=utcnow(),
        data=_plain_data(event_type, data),
    )


def parse_event(body: bytes | str) -> Event:
    try:
        event = _FORMAT.read(None, body)
    except Exception as error:  # the SDK raises many kinds; all mean "not a CloudEvent"
        raise MalformedEvent(f"not a CloudEvent: {error}") from error
    data = event.get_data()
    if not isinstance(data, dict):
        raise MalformedEvent("event data is not a JSON object")
    try:
        uuid.UUID(event.get_id())
    except ValueError as error:
        raise MalformedEvent("event id is not a UUID") from error
    time = event.get_time()
    if time is None or time.tzinfo is None:
        raise MalformedEvent("event time is missing or has no time zone")
    return Event(
        id=event.get_id(),
        type=event.get_type(),
        source=event.get_source(),
        subject=event.get_subject() or "",
        time=time,
        data=_received_data(event.get_type(), data),
    )
