"""The indicators consumer: events from every service, into evidence.

It declares only its own queue; the relays declare every consumer's (``gia.registry``)."""

from __future__ import annotations

from services.indicators import MANIFEST
from services.indicators.evidence import Projector
from services.indicators.models import ReceivedEvent
from shared.db import Database
from shared.events.consumer import EventConsumer
from shared.events.topology import broker_connection, build_topology
from shared.events.trust import Trust
from shared.municipalities import load_register
from shared.settings import Settings


def build_consumer(settings: Settings, db: Database | None = None) -> EventConsumer:
    register = load_register(settings.municipalities_file)
    return EventConsumer(
        db or Database.for_service(settings, "indicators"),
        ReceivedEvent,
        Projector(register),
        lambda: broker_connection(settings),
        build_topology(settings, {MANIFEST.name: MANIFEST.consumes}),
        "indicators",
        Trust(settings, register),
    )
