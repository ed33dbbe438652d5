"""The indicators consumer: events from every service, into evidence."""

from __future__ import annotations

from services.indicators.evidence import record_evidence
from services.indicators.models import ReceivedEvent
from services.indicators.rules import ATTENDANCE
from shared.db import Database
from shared.events.consumer import EventConsumer
from shared.events.topology import broker_connection, build_topology
from shared.settings import Settings

HANDLERS = dict.fromkeys(ATTENDANCE, record_evidence)


def build_consumer(settings: Settings, db: Database | None = None) -> EventConsumer:
    return EventConsumer(
        db or Database.for_service(settings, "indicators"),
        ReceivedEvent,
        HANDLERS,
        lambda: broker_connection(settings),
        build_topology(settings),
        "indicators",
    )
