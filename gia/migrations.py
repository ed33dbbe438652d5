"""Migrations of every database: each service's, and the staff accounts' of ``shared.auth``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shared.auth
from gia.registry import DATABASES, MANIFESTS, manifest
from shared.manifest import Manifest
from shared.migrations import upgrade_database
from shared.settings import AUTH_DATABASE, Settings


def migrations_dir(name: str, manifests: Sequence[Manifest] = MANIFESTS) -> Path:
    if name == AUTH_DATABASE:
        return Path(shared.auth.__path__[0]) / "migrations"
    return manifest(name, manifests).migrations


def upgrade(settings: Settings, names: Sequence[str] = DATABASES) -> None:
    for name in names:
        upgrade_database(settings, name, migrations_dir(name))
