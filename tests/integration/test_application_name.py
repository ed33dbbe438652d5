"""Every process names its PostgreSQL connections after itself (``application_name``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from gia.cli import _settings_as
from gia.supervisor import children
from shared.db import Database
from shared.settings import Settings, load_settings

pytestmark = pytest.mark.services


def _seen_as(settings: Settings) -> str:
    db = Database.for_service(settings, "registration")
    try:
        with db.engine.connect() as connection:
            return connection.scalar(
                text("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()")
            )
    finally:
        db.dispose()


def test_a_connection_shows_its_process_in_pg_stat_activity(real_env: dict[str, str]) -> None:
    named = load_settings({**real_env, "GIA_PROCESS": "gia-relay-registration"})
    assert _seen_as(named) == "gia-relay-registration"
    assert _seen_as(load_settings(real_env)) == "gia-cli"


def test_gia_run_names_each_process_it_starts(real_settings: Settings) -> None:
    names = {child.name: child.env["GIA_PROCESS"] for child in children(real_settings)}
    assert names["web registration"] == "gia-web-registration"
    assert names["relay registration"] == "gia-relay-registration"
    assert names["consumer indicators"] == "gia-consumer-indicators"
    assert names["mail practiceteam"] == "gia-mail-practiceteam"
    assert names["erase practiceteam"] == "gia-erase-practiceteam"


def test_a_worker_started_alone_names_itself_unless_its_starter_did(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GIA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("GIA_PROCESS", "gia-relay-guide")
    assert _settings_as("relay registration").process == "gia-relay-guide"
    monkeypatch.delenv("GIA_PROCESS")
    assert _settings_as("relay registration").process == "gia-relay-registration"
