"""Metrics on a port of their own: ``gia serve`` under gunicorn, on PostgreSQL, answers
/metrics on its metrics port with every worker's requests added up, and not on its public
port."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gia.migrations import upgrade
from shared.settings import Settings
from tests.e2e.test_gia_run import wait_until
from tests.integration.tcp_proxy import free_port

pytestmark = pytest.mark.services


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=3) as response:
        return response.read().decode()


def test_a_served_service_counts_its_requests_on_its_metrics_port_only(
    real_env: dict[str, str], real_settings: Settings, tmp_path: Path
) -> None:
    upgrade(real_settings, ("auth", "registration"))
    public, metrics = free_port(), free_port()
    env = {
        **real_env,
        "GIA_REGISTRATION_PORT": str(public),
        "GIA_REGISTRATION_METRICS_PORT": str(metrics),
        "GIA_BIND": f"127.0.0.1:{public}",
        "GIA_WEB_WORKERS": "2",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "gia", "serve", "registration"],
            env=env,
            stdout=errors,
            stderr=errors,
            start_new_session=True,
        )
    try:
        site = f"http://127.0.0.1:{public}"
        assert wait_until(lambda: fetch(f"{site}/health/live"), timeout=30), log.read_text()
        for _ in range(5):
            fetch(f"{site}/health/live")
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(f"{site}/metrics")
        assert refused.value.code == 404

        line = 'gia_http_requests_total{endpoint="health.live",method="GET",service="registration"'
        scraped = wait_until(lambda: fetch(f"http://127.0.0.1:{metrics}/metrics"), timeout=10)
        counted = [row for row in scraped.splitlines() if row.startswith(line)]
        assert counted and float(counted[0].split()[-1]) >= 6, scraped
    finally:
        server.terminate()
        server.wait(timeout=30)
