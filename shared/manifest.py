"""What a service declares once about itself, so that one composition root can run it.

Each service's package holds its ``MANIFEST``; the root (``gia.registry``) lists the
manifests and derives from them the web servers, relays, consumers, mail workers,
periodic jobs, migrations and commands. References are ``module:attribute`` strings,
as in gunicorn or entry points, resolved only when used: listing the services or
starting one process never imports the code of the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from shared.settings import Settings


def resolve(reference: str) -> Any:
    module, _, attribute = reference.partition(":")
    return getattr(import_module(module), attribute)


@dataclass(frozen=True)
class Job:
    """A periodic job: one pass of ``run(db, settings, now) -> count`` on the service's
    database, run once by its command or every ``every`` seconds under ``gia run``."""

    command: tuple[str, ...]  # the words after ``gia``, e.g. ("erase", "practiceteam")
    run: str
    every: int
    told: str  # what a pass says, with its count: "{} request(s) erased"
    help: str

    def run_once(self, db: Any, settings: Settings, now: datetime) -> int:
        return resolve(self.run)(db, settings, now)


@dataclass(frozen=True)
class Manifest:
    name: str
    package: str
    port: int
    title: str  # of its API document
    app: str  # the factory: (settings, clock) -> Flask, built on shared.web.service
    api: str  # its API blueprint (under /api/v1)
    pages: str  # its pages' blueprint
    outbox: str | None = None  # its outbox model; a service with one gets a relay
    mail: str | None = None  # (settings, db=None) -> MailWorker sending the mail it queues
    consumer: str | None = None  # (settings) -> EventConsumer
    consumes: tuple[str, ...] = ()  # routing keys bound to its queue
    jobs: tuple[Job, ...] = ()
    seed: str | None = None  # (db, settings, today) -> what it added, for ``gia seed``
    commands: str | None = None  # a click group of its own, ``gia <group name> ...``
    # Its staff see and replay every consumer's parked messages (shared.events.dead_letters),
    # as the dead-letters broker user; its metrics count them.
    dead_letters: bool = False

    @property
    def migrations(self) -> Path:
        return Path(import_module(self.package).__path__[0]) / "migrations"

    def port_in(self, settings: Settings) -> int:
        return int(settings.per_service(self.name, "PORT") or self.port)

    def metrics_port_in(self, settings: Settings) -> int:
        """Where its metrics are served, never on its public port: ``GIA_<NAME>_METRICS_PORT``,
        else its port + 4000 (9001 for registration on 5001)."""
        return int(settings.per_service(self.name, "METRICS_PORT") or self.port_in(settings) + 4000)

    def public_url(self, settings: Settings) -> str:
        """Where people reach it: ``GIA_<NAME>_URL``, else its local port."""
        configured = settings.per_service(self.name, "URL")
        return (
            configured.rstrip("/") if configured else f"http://127.0.0.1:{self.port_in(settings)}"
        )
