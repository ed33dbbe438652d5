"""Throwaway schemas and queues on shared PostgreSQL and RabbitMQ, for tests and benchmarks.

Everything is named with one random tag, so runs side by side never meet, and
``remove`` takes away exactly what a run created.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import NoReturn

import pytest
import redis

from gia.registry import DATABASES, topology
from shared.db import Database
from shared.events.topology import broker_connection
from shared.settings import Settings


def isolated_env(
    database_url: str, broker_url: str, var_dir: Path, prefix: str = "t", redis_url: str = ""
) -> dict[str, str]:
    tag = f"{prefix}{uuid.uuid4().hex[:10]}_"
    return {
        "GIA_VAR_DIR": str(var_dir),
        "GIA_REDIS_URL": redis_url,
        "GIA_REDIS_PREFIX": tag,
        # Ordinary tests post many mail-sending forms from one address to a few addresses.
        "GIA_MAIL_LIMIT_ADDRESS": "1000/minute",
        "GIA_MAIL_LIMIT_RECIPIENT": "1000/minute",
        "GIA_SECRET_KEY": "isolated-secret-key-" * 3,
        "GIA_DATABASE_URL": database_url,
        "GIA_DATABASE_SCHEMA_PREFIX": tag,
        "GIA_BROKER_URL": broker_url,
        "GIA_TOPOLOGY_PREFIX": tag,
    }


def remove(settings: Settings) -> None:
    for name in DATABASES:
        db = Database.for_service(settings, name)
        db.drop_schema()
        db.dispose()
    declared = topology(settings)
    with broker_connection(settings) as connection:
        channel = connection.default_channel
        for queue in declared.all_queues():
            queue.bind(channel).delete()
        for exchange in (declared.events, declared.dead):
            exchange.bind(channel).delete()
    if settings.redis_url:
        with redis.Redis.from_url(settings.redis_url) as client:
            for key in client.scan_iter(f"{settings.redis_prefix}*"):
                client.delete(key)


def unavailable(reason: str, required_by: str = "GIA_REQUIRE_SERVICES") -> NoReturn:
    """Skips a test whose real service or tool is missing, unless the run requires it (CI sets
    ``required_by`` to 1): there a missing part is a failure, never a quiet skip."""
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{required_by}=1: {reason}")
    pytest.skip(reason)
