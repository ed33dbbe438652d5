"""Real RabbitMQ, PostgreSQL and Redis for the integration tests.

They are the local services on 127.0.0.1 where they run, otherwise the ones in
docker-compose.yml through pytest-docker where a Docker engine is present. With
neither the tests are skipped, unless GIA_REQUIRE_SERVICES=1 makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.settings import Settings, load_settings
from tests.isolation import isolated_env, remove, unavailable

CHECKOUT_BEFORE = pytest.StashKey[set[str] | None]()
LOCAL_POSTGRES = os.environ.get(
    "GIA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
LOCAL_RABBITMQ = os.environ.get("GIA_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
LOCAL_REDIS = os.environ.get("GIA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


ROOT = Path(__file__).resolve().parents[1]


def _untracked_in_checkout() -> set[str] | None:
    """The files ``git status`` calls untracked; None outside a git checkout."""
    try:
        found = subprocess.run(
            ["git", "ls-files", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(found.stdout.splitlines())


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[CHECKOUT_BEFORE] = _untracked_in_checkout()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The tests leave no file behind in the checkout: whatever they or the processes they
    start write goes under a var directory or a temporary one."""
    before = session.config.stash.get(CHECKOUT_BEFORE, None)
    after = _untracked_in_checkout()
    if before is None or after is None or not session.items:
        return
    if left := sorted(after - before):
        print(f"\nthe tests left files in the checkout ({len(left)}):", *left, sep="\n  ")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def docker_compose_file(pytestconfig: pytest.Config) -> str:
    return str(Path(pytestconfig.rootpath) / "docker-compose.yml")


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    return ["up -d postgres rabbitmq redis"]


@pytest.fixture(scope="session")
def service_urls(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(PostgreSQL URL, RabbitMQ URL) of real, running services."""
    if _listening(5432) and _listening(5672):
        return LOCAL_POSTGRES, LOCAL_RABBITMQ
    if shutil.which("docker"):
        try:
            services = request.getfixturevalue("docker_services")
            services.wait_until_responsive(
                timeout=90, pause=1, check=lambda: _listening(5432) and _listening(5672)
            )
            return "postgresql://gia:gia@127.0.0.1:5432/gia", "amqp://gia:gia@127.0.0.1:5672//"
        except Exception as error:
            reason = f"docker compose could not start PostgreSQL and RabbitMQ: {error}"
    else:
        reason = "PostgreSQL and RabbitMQ are not listening on 127.0.0.1 and there is no Docker"
    unavailable(reason)


@pytest.fixture(scope="session")
def redis_url(service_urls: tuple[str, str]) -> str:
    """The real Redis the throttles count in: the local one, or docker compose's."""
    if _listening(6379):
        return LOCAL_REDIS
    reason = "Redis is not listening on 127.0.0.1:6379"
    unavailable(reason)


@pytest.fixture
def real_env(
    service_urls: tuple[str, str], redis_url: str, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """GIA_* variables for the real services, with schemas, queues and Redis keys of this
    test's own.

    Whatever the test created under its tag is removed afterwards.
    """
    env = isolated_env(*service_urls, tmp_path, redis_url=redis_url)
    yield env
    remove(load_settings(env))


@pytest.fixture
def real_settings(real_env: dict[str, str]) -> Settings:
    return load_settings(real_env)


_ran_on_services: dict[str, int] = {"passed": 0, "skipped": 0, "failed": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Counts the tests that needed the real services, for the summary below."""
    if "services" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _ran_on_services[report.outcome] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    counts = _ran_on_services
    if any(counts.values()):
        terminalreporter.write_line(
            f"real services (PostgreSQL {LOCAL_POSTGRES.split('@')[-1]}, RabbitMQ "
            f"{LOCAL_RABBITMQ.split('@')[-1]} or docker compose's): "
            f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
        )
