"""The buffering proxy of docker compose (deploy/nginx/gia.conf.template) in front of a real
``gia serve`` with one sync worker: slow clients hold the proxy, never the worker; the
proxy's forwarded headers are the ones the service trusts, and a client's own are not."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from bench.proxy import buffering_proxy, nginx_binary
from gia.migrations import upgrade
from gia.registry import SERVICES
from shared.settings import Settings, load_settings
from tests.e2e.test_gia_run import wait_until
from tests.factories import staff_headers
from tests.integration.tcp_proxy import free_port
from tests.isolation import isolated_env, remove, unavailable

pytestmark = pytest.mark.services
HALF_A_REQUEST_LINE = b"GET / HT"


def get(base: str, path: str, headers: dict[str, str] | None = None, timeout: float = 5) -> Any:
    """One request on a fresh connection: (status, headers)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.headers
    finally:
        connection.close()


@pytest.fixture(scope="module")
def served(
    service_urls: tuple[str, str], redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings]]:
    """``gia serve registration`` with a single sync worker, trusting one proxy; started once
    for the module (its data under a prefix of its own, removed afterwards)."""
    scratch = tmp_path_factory.mktemp("proxied")
    env = isolated_env(*service_urls, scratch, redis_url=redis_url)
    settings = load_settings(env)
    upgrade(settings, ("auth", "registration"))
    port = free_port()
    env |= {
        "GIA_BIND": f"127.0.0.1:{port}",
        "GIA_REGISTRATION_METRICS_PORT": str(free_port()),
        "GIA_WEB_WORKERS": "1",
        "GIA_PROXY_HOPS": "1",
    }
    log = scratch / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gia", "serve", "registration"],
            env=env,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until(lambda: get(base, "/health/live")[0] == 200, 30), log.read_text()
        yield base, settings
    finally:
        server.terminate()
        server.wait(timeout=30)
        remove(settings)


@pytest.fixture(scope="module")
def site(served: tuple[str, Settings]) -> str:
    return served[0]


@pytest.fixture(scope="module")
def proxied(site: str) -> Iterator[str]:
    if nginx_binary() is None:
        unavailable("the proxy tests need nginx (make test installs it)")
    with buffering_proxy(dict.fromkeys(SERVICES, site)) as urls:
        yield urls["registration"]


def held_open(base: str, opening: bytes) -> socket.socket:
    url = urllib.parse.urlsplit(base)
    held = socket.create_connection((url.hostname, url.port), timeout=5)
    held.settimeout(None)  # blocking, so a peek with MSG_DONTWAIT answers at once
    held.sendall(opening)
    return held


def test_a_client_that_sends_half_a_request_holds_the_proxy_not_the_worker(
    site: str, proxied: str
) -> None:
    with held_open(site, HALF_A_REQUEST_LINE):
        time.sleep(0.5)  # the one worker has taken that connection
        with pytest.raises(TimeoutError):
            get(site, "/health/live", timeout=3)
    with held_open(proxied, HALF_A_REQUEST_LINE):
        time.sleep(0.5)
        assert get(proxied, "/health/live")[0] == 200
        assert get(proxied, "/")[0] == 200


def test_the_proxy_closes_a_request_head_that_trickles_in(proxied: str) -> None:
    """client_header_timeout is 10 s for the whole head: a byte a second does not reset it."""
    with held_open(proxied, b"GET / HTTP/1.1\r\nHost: gia\r\nX-Slow: ") as held:
        started = time.monotonic()
        closed = False
        while not closed and time.monotonic() - started < 15:
            time.sleep(1)
            try:
                held.sendall(b"a")
                closed = held.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
            except BlockingIOError:
                pass
            except OSError:
                closed = True
    assert closed and 9 <= time.monotonic() - started < 15


def test_the_service_believes_the_proxy_about_the_scheme_not_the_client(
    site: str, proxied: str
) -> None:
    forged = {"X-Forwarded-Proto": "https"}
    # Straight to a service that trusts one proxy, the forgery would count (HSTS is sent
    # only over HTTPS); through the proxy, nginx says what it was reached over: http.
    assert "Strict-Transport-Security" in get(site, "/", forged)[1]
    assert "Strict-Transport-Security" not in get(proxied, "/", forged)[1]


def test_request_ids_pass_through_the_proxy(proxied: str) -> None:
    assert get(proxied, "/", {"X-Request-ID": "loket-42"})[1]["X-Request-ID"] == "loket-42"
    made = get(proxied, "/")[1]["X-Request-ID"]
    assert len(made) == 32 and int(made, 16) >= 0  # nginx's $request_id


def test_a_body_over_the_service_limit_gets_the_services_own_answer(
    proxied: str, served: tuple[str, Settings]
) -> None:
    """The proxy takes up to 32 MB, so the service answers its own 413 as problem+json."""
    url = urllib.parse.urlsplit(proxied)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request(
            "POST",
            "/api/v1/meetings",
            body=b"{" + b" " * (2 * 1024 * 1024) + b"}",
            headers={"Content-Type": "application/json", **staff_headers(served[1])},
        )
        answer = connection.getresponse()
        assert answer.status == 413
        assert answer.headers["Content-Type"] == "application/problem+json"
    finally:
        connection.close()
