"""The metrics gunicorn's master serves for the service in ``GIA_SERVICE``
(deploy/gunicorn.conf.py): its workers' requests and its queues, and where its staff look
after parked messages, how many each dead queue holds."""

from __future__ import annotations

import os

from prometheus_client.registry import Collector

from gia.registry import manifest, topology
from shared.db import Database
from shared.events import dead_letters
from shared.manifest import resolve
from shared.settings import load_settings
from shared.web.metrics import QueueGauges, serve_metrics


def serve_service_metrics(host: str, port: int) -> None:
    service = manifest(os.environ["GIA_SERVICE"])
    settings = load_settings()
    db = Database.for_service(settings, service.name)
    outbox = resolve(service.outbox) if service.outbox else None
    mail = resolve(service.mail)(settings, db).model if service.mail else None
    collectors: list[Collector] = [QueueGauges(service.name, db, outbox, mail)]
    if service.dead_letters:
        own = settings.for_service(service.name)
        collectors += dead_letters.collectors(own, topology(own))
    serve_metrics(host, port, *collectors)
