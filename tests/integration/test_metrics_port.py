"""Metrics on a port of their own: ``gia serve`` under gunicorn, on PostgreSQL, answers
/metrics on its metrics port with every worker's requests added up, and not on its public
port; beside them the service's outbox backlog and given-up mail, as its database has them
at the scrape."""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from gia.migrations import upgrade
from services.registration.models import MailQueue, Outbox
from shared.clock import utcnow
from shared.db import Database
from shared.mail_queue import MAX_ATTEMPTS
from shared.settings import Settings
from tests.e2e.test_gia_run import wait_until
from tests.integration.tcp_proxy import free_port

pytestmark = pytest.mark.services


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=3) as response:
        return response.read().decode()


@contextmanager
def served(env: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``gia serve registration`` with two workers: (its public URL, its metrics URL)."""
    public, metrics = free_port(), free_port()
    env = {
        **env,
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
        yield site, f"http://127.0.0.1:{metrics}/metrics"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_served_service_counts_its_requests_on_its_metrics_port_only(
    real_env: dict[str, str], real_settings: Settings, tmp_path: Path
) -> None:
    upgrade(real_settings, ("auth", "registration"))
    with served(real_env, tmp_path) as (site, metrics):
        for _ in range(5):
            fetch(f"{site}/health/live")
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(f"{site}/metrics")
        assert refused.value.code == 404

        line = 'gia_http_requests_total{endpoint="health.live",method="GET",service="registration"'
        scraped = wait_until(lambda: fetch(metrics), timeout=10)
        counted = [row for row in scraped.splitlines() if row.startswith(line)]
        assert counted and float(counted[0].split()[-1]) >= 6, scraped
        with urllib.request.urlopen(metrics, timeout=3) as answer:
            kind = answer.headers["Content-Type"]
        assert kind.startswith("text/plain") and kind.count("charset=") == 1, kind


def gauges(metrics: str) -> dict[str, float]:
    """The queue gauges of registration in one scrape, by name."""
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(fetch(metrics))
        for sample in family.samples
        if sample.name.startswith(("gia_outbox_", "gia_mail_"))
        and sample.labels == {"service": "registration"}
    }


def test_the_metrics_port_reports_the_outbox_backlog_and_given_up_mail_as_they_are(
    real_env: dict[str, str], real_settings: Settings, tmp_path: Path
) -> None:
    upgrade(real_settings, ("auth", "registration"))
    db = Database.for_service(real_settings, "registration")
    now = utcnow()
    with db.transaction() as session:
        for n, minutes in enumerate((10, 3, 1)):
            written = now - timedelta(minutes=minutes)
            session.add(Outbox(id=f"p{n}", type="t", subject="s", body=b"{}", created_at=written))
        session.add(Outbox(id="sent", type="t", subject="s", body=b"{}", sent_at=now))
        for n, attempts in enumerate((MAX_ATTEMPTS, MAX_ATTEMPTS, 2)):
            session.add(MailQueue(id=f"m{n}", kind="k", about="a", attempts=attempts))
    try:
        with served(real_env, tmp_path) as (_, metrics):
            found = gauges(metrics)
            assert found["gia_outbox_pending"] == 3
            assert 600 <= found["gia_outbox_oldest_pending_seconds"] < 660
            assert found["gia_mail_given_up"] == 2

            with db.transaction() as session:  # the oldest is sent, a given-up mail too
                session.execute(update(Outbox).where(Outbox.id == "p0").values(sent_at=now))
                session.execute(update(MailQueue).where(MailQueue.id == "m0").values(sent_at=now))
            found = gauges(metrics)
            assert found["gia_outbox_pending"] == 2
            assert 180 <= found["gia_outbox_oldest_pending_seconds"] < 240
            assert found["gia_mail_given_up"] == 1
    finally:
        db.dispose()
