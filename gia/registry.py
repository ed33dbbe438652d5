"""The services this system runs, and what follows from their manifests: the databases to
migrate, the broker's queues and every long-running process.

Adding a service is one folder with its ``MANIFEST`` and one line here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services import essay_contest, guide, indicators, practiceteam, registration
from shared.events.topology import Topology, build_topology
from shared.manifest import Manifest
from shared.settings import AUTH_DATABASE, Settings

MANIFESTS: tuple[Manifest, ...] = (
    registration.MANIFEST,
    practiceteam.MANIFEST,
    essay_contest.MANIFEST,
    indicators.MANIFEST,
    guide.MANIFEST,
)
SERVICES: tuple[str, ...] = tuple(manifest.name for manifest in MANIFESTS)
# The staff accounts' database belongs to the shared library, beside the services' own.
DATABASES: tuple[str, ...] = (*SERVICES, AUTH_DATABASE)


def manifest(name: str, manifests: Sequence[Manifest] = MANIFESTS) -> Manifest:
    return next(found for found in manifests if found.name == name)


def topology(settings: Settings, manifests: Sequence[Manifest] = MANIFESTS) -> Topology:
    """Every consumer's queue: a publisher must declare them all (see shared.events.topology)."""
    return build_topology(
        settings, {found.name: found.consumes for found in manifests if found.consumer}
    )


def application_name(process: str) -> str:
    """How the process ``process`` ("relay registration") names itself to PostgreSQL
    (``GIA_PROCESS``): "gia-relay-registration"."""
    return "gia-" + process.replace(" ", "-")


@dataclass(frozen=True)
class Process:
    """A long-running process: ``gia`` with ``args``."""

    name: str
    args: tuple[str, ...]
    web: Manifest | None = None  # the service it serves, for a web server

    @property
    def application_name(self) -> str:
        return application_name(self.name)


def processes(manifests: Sequence[Manifest] = MANIFESTS) -> list[Process]:
    """What ``gia run``, docker compose and Kubernetes run: web servers first, then the
    workers and periodic jobs, each service in registry order."""
    web = [Process(f"web {found.name}", ("serve", found.name), found) for found in manifests]
    workers = [
        Process(f"{kind} {found.name}", (verb, found.name))
        for kind, verb, has in (
            ("relay", "relay", lambda found: found.outbox),
            ("consumer", "consume", lambda found: found.consumer),
            ("mail", "mail", lambda found: found.mail),
        )
        for found in manifests
        if has(found)
    ]
    jobs = [
        Process(" ".join(job.command), (*job.command, "--every", str(job.every)))
        for found in manifests
        for job in found.jobs
    ]
    return [*web, *workers, *jobs]
