"""``gia alive``, the workers' liveness probe, reads the heartbeat their loops leave; and the
relay's and consumers' waits between tries stay short."""

from __future__ import annotations

import os
import time
from pathlib import Path

from click.testing import CliRunner

from gia.cli import main
from shared.events.backoff import MAX_BACKOFF_SECONDS, Backoff
from shared.heartbeat import Heartbeat
from shared.settings import load_settings


def probe(var_dir: Path, *args: str) -> int:
    env = {"GIA_VAR_DIR": str(var_dir), "GIA_SECRET_KEY": "k"}
    return CliRunner().invoke(main, ["alive", *args], env=env).exit_code


def test_a_worker_is_alive_while_its_heartbeat_is_younger_than_the_limit(tmp_path: Path) -> None:
    assert probe(tmp_path, "relay", "registration") == 1  # never went round
    named = {"GIA_VAR_DIR": str(tmp_path), "GIA_PROCESS": "gia-relay-registration"}
    heartbeat = Heartbeat.of_process(load_settings({**named, "GIA_SECRET_KEY": "k"}))
    heartbeat.beat()
    assert probe(tmp_path, "relay", "registration") == 0
    assert heartbeat.path is not None
    long_ago = time.time() - 100
    os.utime(heartbeat.path, (long_ago, long_ago))
    assert probe(tmp_path, "relay", "registration") == 1
    assert probe(tmp_path, "--max-age", "200", "relay", "registration") == 0


def test_only_a_worker_of_the_registry_can_be_probed(tmp_path: Path) -> None:
    assert probe(tmp_path, "relay", "nowhere") == 2
    assert probe(tmp_path, "web", "registration") == 2  # its probe is /health/live


def test_waits_between_tries_double_up_to_the_cap_and_start_again_after_a_success() -> None:
    backoff = Backoff(0.5)
    waits = [backoff.next() for _ in range(8)]
    assert 0.375 <= waits[0] <= 0.5 and max(waits) <= MAX_BACKOFF_SECONDS <= 2.0
    assert waits[-1] >= 0.75 * MAX_BACKOFF_SECONDS
    backoff.reset()
    assert backoff.next() <= 0.5
