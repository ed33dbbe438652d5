"""``gia run`` as a newcomer starts it: every process, one registration counted, one
praktijkteam request received by indicators and mailed about, a clean stop.

Once on the embedded default (SQLite files and the file broker under a fresh
var/ directory) and once on the real PostgreSQL and RabbitMQ.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from gia.registry import SERVICES
from services.indicators.models import ReceivedEvent
from shared.db import Database
from shared.events.catalogue import PRACTICETEAM_EVENTS
from shared.mail import sent_messages
from shared.settings import load_settings
from tests.factories import MEETING, PERSON, PRACTICETEAM_REQUEST
from tests.integration.tcp_proxy import free_port


def call(
    url: str, body: dict[str, Any] | None = None, token: str = "", method: str | None = None
) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def wait_until(check: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except (OSError, urllib.error.URLError):
            result = None
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


@pytest.fixture(
    params=["embedded", pytest.param("postgresql+rabbitmq", marks=pytest.mark.services)]
)
def environment(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIA_") or key == "GIA_REQUIRE_SERVICES"
    }
    env.update({f"GIA_{service.upper()}_PORT": str(free_port()) for service in SERVICES})
    if request.param != "embedded":
        env.update(request.getfixturevalue("real_env"))
    env["GIA_VAR_DIR"] = str(tmp_path / "var")
    return env


@pytest.fixture
def running(
    environment: dict[str, str], tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    log = tmp_path / "gia-run.log"
    with log.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "gia", "run"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            yield process, environment
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    # Captured, so pytest shows it only beside a failure: the processes' own account.
    print(log.read_text(errors="replace")[-6000:], file=sys.stderr)


def test_a_check_in_is_counted_a_request_arrives_and_ctrl_c_stops_everything(
    running: tuple[subprocess.Popen[str], dict[str, str]],
) -> None:
    process, env = running
    urls = {
        service: f"http://127.0.0.1:{env[f'GIA_{service.upper()}_PORT']}" for service in SERVICES
    }
    banner = []
    assert process.stdout is not None
    for line in process.stdout:
        banner.append(line)
        if "Ctrl-C" in line:
            break
    assert all(url in "".join(banner) for url in urls.values()), banner

    token = subprocess.run(
        [sys.executable, "-m", "gia", "token", "--role", "staff"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    registration = urls["registration"]
    meeting = call(f"{registration}/api/v1/meetings", MEETING, token)
    person = call(f"{registration}/api/v1/meetings/{meeting['id']}/registrations", PERSON)
    call(f"{registration}/api/v1/registrations/{person['id']}/check-in", {}, token)

    def participation() -> dict[str, Any] | None:
        figures = call(f"{urls['indicators']}/api/v1/indicators")["indicators"]
        found = next(item for item in figures if item["indicator"] == "participation")
        return found if found["numerator"] == 1 else None

    counted = wait_until(participation, timeout=10)
    assert counted and counted["denominator"] > 0 and counted["target"] == 0.45

    call(f"{registration}/api/v1/registrations/{person['id']}/check-in", None, token, "DELETE")
    assert wait_until(lambda: participation() is None, timeout=10)

    request = call(f"{urls['practiceteam']}/api/v1/requests", PRACTICETEAM_REQUEST)
    settings = load_settings(env)
    indicators = Database.for_service(settings, "indicators")

    def stored() -> bool:
        with indicators.transaction() as session:
            return (
                session.scalar(
                    select(ReceivedEvent.id).where(
                        ReceivedEvent.type == PRACTICETEAM_EVENTS["submitted"],
                        ReceivedEvent.subject == f"request/{request['id']}",
                    )
                )
                is not None
            )

    assert wait_until(stored, timeout=10)
    indicators.dispose()
    assert wait_until(
        lambda: any(
            f"/aanvraag/{request['id']}" in mail.get_body(("plain",)).get_content()
            for mail in map(read_mail, sent_messages(settings.effective_mail_dir))
        ),
        timeout=10,
    )

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=45) == 0  # within the supervisor's grace of 30 s
    for url in urls.values():
        assert wait_until(lambda url=url: not _answers(url), timeout=5), f"{url} still answers"


def read_mail(path: Path) -> Any:
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(f"{url}/health/live", timeout=1).close()
    except OSError:
        return False
    return True
