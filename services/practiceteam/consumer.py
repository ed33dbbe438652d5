"""The praktijkteam consumer: signals answered at meetings, for the public page.

It declares only its own queue; the relays declare every consumer's (``gia.registry``)."""

from __future__ import annotations

from services.practiceteam import MANIFEST
from services.practiceteam.meeting_signals import take_in_signals
from services.practiceteam.models import ReceivedEvent
from shared.db import Database
from shared.events.consumer import EventConsumer
from shared.events.topology import broker_connection, build_topology
from shared.events.trust import Trust
from shared.municipalities import load_register
from shared.settings import Settings


def build_consumer(settings: Settings, db: Database | None = None) -> EventConsumer:
    return EventConsumer(
        db or Database.for_service(settings, MANIFEST.name),
        ReceivedEvent,
        take_in_signals,
        lambda: broker_connection(settings),
        build_topology(settings, {MANIFEST.name: MANIFEST.consumes}),
        MANIFEST.name,
        Trust(settings, load_register(settings.municipalities_file)),
    )
