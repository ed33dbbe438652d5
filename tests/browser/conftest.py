"""The whole system under ``gia run`` and headless Chromium, for journeys as people make them.

One system for all the browser tests (gunicorn, PostgreSQL, RabbitMQ and Redis under one
random prefix, ``gia seed``'s examples and a staff account), started as the benches start
it, with limits loose enough that the journeys are never throttled. Chromium is Debian's, driven by
Playwright; without it the browser tests are skipped, unless GIA_REQUIRE_BROWSER=1 makes
that a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bench.registration_rush import free_port, wait_until_ready
from bench.system import start_system, stop_system
from gia.registry import MANIFESTS, SERVICES
from shared.settings import load_settings
from tests.browser.pages import DESKTOP, PHONE, Audit, System
from tests.isolation import isolated_env, remove, unavailable

# A step that takes longer than this has failed: everything runs on this machine.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium: Playwright's own browser download cannot be had here."""
    found = shutil.which("chromium")
    if found:
        return found
    unavailable(
        "no chromium on PATH: the browser tests drive Debian's Chromium (`make test` installs "
        "it with apt-get where it may)",
        required_by="GIA_REQUIRE_BROWSER",
    )


# Package scope: the system and the browser stop once the browser tests are done, before the
# rest of the suite runs on the same two cores.
@pytest.fixture(scope="package")
def system(
    chromium_path: str,
    service_urls: tuple[str, str],
    redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[System]:
    scratch = tmp_path_factory.mktemp("gia-browser")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIA_")}
    env.update(isolated_env(*service_urls, scratch / "var", prefix="b", redis_url=redis_url))
    env.update(
        {
            f"GIA_{service.upper()}_{port}": str(free_port())
            for service in SERVICES
            for port in ("PORT", "METRICS_PORT")
        }
    )
    # Journeys log staff in many times from one address; the throttles have tests of their own.
    env.update(GIA_LOGIN_LIMIT_ACCOUNT="1000/minute", GIA_LOGIN_LIMIT_ADDRESS="1000/minute")
    env["GIA_LOG_LEVEL"] = "WARNING"
    settings = load_settings(env)
    urls = {found.name: f"http://127.0.0.1:{found.port_in(settings)}" for found in MANIFESTS}
    email, password = f"medewerker-{uuid.uuid4().hex[:6]}@minbzk.nl", "browser-wachtwoord-2012"
    log = scratch / "gia-run.log"
    process = start_system(env, log, email, password)
    try:
        for url in urls.values():
            wait_until_ready(process, url)
        token = subprocess.run(
            [sys.executable, "-m", "gia", "token", "--role", "staff"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        yield System(urls, settings, email, password, token)
    finally:
        stop_system(process)
        remove(settings)
        # Captured, so pytest shows it only beside a failure: the processes' own account.
        print(log.read_text(errors="replace")[-6000:])


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[str], BrowserContext]]:
    """Contexts of their own (cookies, storage) on a "desktop" or a "phone", closed after the
    test: the municipality in one, staff in another."""
    made: list[BrowserContext] = []

    def new(device: str) -> BrowserContext:
        if device == "phone":
            context = browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
            )
        else:
            context = browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()


@pytest.fixture
def audit() -> Audit:
    return Audit()


@pytest.fixture
def open_page(audit: Audit, new_context: Callable[[str], BrowserContext]) -> Callable[[str], Page]:
    """A page in a new context on a "desktop" or a "phone", every page it lands on to be
    checked by the journey's audit."""
    return lambda device: audit.watch(new_context(device).new_page())
