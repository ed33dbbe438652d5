"""Every worker's liveness fails while its loop is stuck: each worker runs as ``gia`` runs it,
and its loop is blocked on purpose by a lock held on the table it reads (PostgreSQL waits on
a lock without a timeout), until ``gia alive`` says so; released, it is alive again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from gia.cli import main
from gia.migrations import upgrade
from shared.db import Database
from shared.events.catalogue import ATTENDED
from shared.events.envelope import new_event
from shared.settings import Settings
from tests.factories import attendance_data, producer_source, publish_raw, wait_for

pytestmark = pytest.mark.services

MAX_AGE = 2
# process (as `gia services` names it), its command after `gia`, its database, the table it reads
WORKERS = [
    ("relay registration", ["relay", "registration"], "registration", "outbox"),
    ("consumer indicators", ["consume", "indicators"], "indicators", "received_events"),
    ("mail registration", ["mail", "registration"], "registration", "mail_queue"),
    ("remind", ["remind", "--every", "1"], "registration", "registrations"),
]


def alive(env: dict[str, str], process: str) -> int:
    """The exit status of the liveness probe ``gia alive --max-age 2 PROCESS``."""
    probe = ["alive", "--max-age", str(MAX_AGE), *process.split()]
    return CliRunner().invoke(main, probe, env=env).exit_code


@pytest.mark.parametrize(("process", "command", "database", "table"), WORKERS, ids=lambda x: x)
def test_a_worker_stuck_in_its_loop_fails_its_liveness_probe_until_it_goes_round_again(
    real_env: dict[str, str],
    real_settings: Settings,
    tmp_path: Path,
    process: str,
    command: list[str],
    database: str,
    table: str,
) -> None:
    upgrade(real_settings, ("registration", "indicators"))
    assert alive(real_env, process) == 1  # no heartbeat yet
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIA_")}
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "gia", *command],
            env={**env, **real_env},
            stdout=output,
            stderr=output,
        )
    db = Database.for_service(real_settings, database)
    try:
        assert wait_for(lambda: alive(real_env, process) == 0, timeout=30), log.read_text()
        with db.engine.connect() as holder, holder.begin():
            holder.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            if process.startswith("consumer"):  # it reads its inbox when an event comes
                event = new_event(
                    ATTENDED, source=producer_source(ATTENDED), subject="r", data=attendance_data()
                )
                publish_raw(real_settings, [(event.to_json(), ATTENDED)])
            assert wait_for(lambda: alive(real_env, process) == 1, timeout=MAX_AGE + 8)
        assert wait_for(lambda: alive(real_env, process) == 0, timeout=15), log.read_text()
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        db.dispose()
