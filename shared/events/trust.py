"""Which events a consumer may act on: only those their producer could have sent.

Broker credentials alone must not move the official figures. An event counts
only when it arrived under its own type as routing key (the key the broker's
topic permissions check), carries the ``source`` of the service the catalogue
names as its producer, and names only municipalities of the register. The
consumer parks anything else on the dead-letter queue with the reason; the
rebuild skips stored events that fail the same check, so a forgery taken in
before it existed is not counted again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from marshmallow import Schema, fields

from shared.events.catalogue import MUNICIPALITY_CODE, PRODUCERS
from shared.events.envelope import Event, schema_for
from shared.municipalities import Register
from shared.settings import Settings

log = logging.getLogger(__name__)


class RefusedEvent(ValueError):
    """A well-formed event that its producer could not have sent."""


def _is_code(field: fields.Field) -> bool:
    return MUNICIPALITY_CODE in field.validators


def municipality_codes(schema: Schema, data: Mapping[str, Any]) -> Iterator[str]:
    """Every municipality code in checked event data, found by the catalogue's validator."""
    for name, field in schema.fields.items():
        value = data.get(field.data_key or name)
        if value is None:
            continue
        inner = field.inner if isinstance(field, fields.List) else None
        if _is_code(field):
            yield value
        elif inner is not None and _is_code(inner):
            yield from value
        elif isinstance(inner, fields.Nested) and isinstance(inner.schema, Schema):
            for item in value:
                yield from municipality_codes(inner.schema, item)


class Trust:
    def __init__(self, settings: Settings, register: Register) -> None:
        self.register = register
        self.sources = {
            event_type: settings.event_source(service) for event_type, service in PRODUCERS.items()
        }

    def why_refused(self, event: Event) -> str | None:
        """Why the event must not count (its source or municipalities), or None if it may."""
        expected = self.sources.get(event.type)
        if event.source != expected:
            return f"{event.type} comes from {expected}, not from {event.source}"
        unknown = sorted(
            {
                code
                for code in municipality_codes(schema_for(event.type), event.data)
                if code not in self.register
            }
        )
        if unknown:
            return f"municipality codes not in the register: {', '.join(unknown)}"
        return None

    def check_delivery(self, event: Event, routing_key: str | None) -> None:
        """Raise RefusedEvent unless the event arrived under its own type and may count."""
        if routing_key != event.type:
            raise RefusedEvent(f"{event.type} arrived with routing key {routing_key}")
        reason = self.why_refused(event)
        if reason:
            raise RefusedEvent(reason)

    def trusted(self, events: Iterable[Event]) -> Iterator[Event]:
        """The stored events that may count, for a rebuild; they stay stored as they came."""
        for event in events:
            reason = self.why_refused(event)
            if reason:
                log.warning("stored event %s not counted: %s", event.id, reason)
            else:
                yield event
