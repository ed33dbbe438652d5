"""The long-running processes: web servers, relays, the consumer, and ``gia run`` over them all."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from shared.db import Database
from shared.events.relay import Relay
from shared.events.topology import broker_connection, build_topology
from shared.settings import MAILERS, PUBLISHERS, SERVICES, Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Longer than gunicorn's own graceful timeout (25 s), so a server is never cut
# off while it is still letting its workers finish.
STOP_GRACE_SECONDS = 30.0
READY_TIMEOUT_SECONDS = 60.0


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT, so loops finish their batch and leave cleanly."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def gunicorn_config() -> Path:
    """The container keeps the file in its working directory; a checkout beside the code."""
    configured = os.environ.get("GIA_GUNICORN_CONFIG")
    if configured:
        return Path(configured)
    local = Path.cwd() / "deploy" / "gunicorn.conf.py"
    return local if local.exists() else PROJECT_ROOT / "deploy" / "gunicorn.conf.py"


def serve_command(service: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(gunicorn_config()),
        f"services.{service}.wsgi:app",
    ]


def serve(settings: Settings, service: str, port: int | None) -> None:
    """Replace this process with gunicorn, so signals reach it directly."""
    os.environ["GIA_SERVICE"] = service
    if port:
        os.environ["PORT"] = str(port)
    else:
        os.environ.setdefault("PORT", str(settings.ports[service]))
    command = serve_command(service)
    os.execv(command[0], command)


def relay(settings: Settings, service: str) -> None:
    outbox = import_module(f"services.{service}.models").Outbox
    db = Database.for_service(settings, service)
    Relay(db, outbox, lambda: broker_connection(settings), build_topology(settings)).run(
        stop_on_signals()
    )
    db.dispose()


def consume(settings: Settings) -> None:
    from services.indicators.consumer import build_consumer

    consumer = build_consumer(settings)
    consumer.run(stop_on_signals())
    consumer.db.dispose()


# -- gia run ------------------------------------------------------------------


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # A session of its own: Ctrl-C reaches only the supervisor, which stops
        # the children in order instead of all at once.
        self.process = subprocess.Popen(
            self.command, env={**os.environ, **self.env}, start_new_session=True
        )

    def exited(self) -> int | None:
        return self.process.poll() if self.process else None


def children(settings: Settings) -> list[Child]:
    gia = [sys.executable, "-m", "shared.cli"]
    web = [
        Child(
            f"web {service}",
            serve_command(service),
            {
                "GIA_SERVICE": service,
                "GIA_BIND": f"127.0.0.1:{settings.ports[service]}",
                "GIA_WEB_WORKERS": os.environ.get("GIA_WEB_WORKERS", "2"),
                "PROMETHEUS_MULTIPROC_DIR": str(settings.var_dir / "metrics" / service),
            },
        )
        for service in SERVICES
    ]
    relays = [Child(f"relay {service}", [*gia, "relay", service]) for service in PUBLISHERS]
    return [
        *web,
        *relays,
        Child("consumer indicators", [*gia, "consume", "indicators"]),
        Child("reminders", [*gia, "remind", "--every", "900"]),
        Child("erasure practiceteam", [*gia, "erase", "practiceteam", "--every", "3600"]),
        Child("erasure indicators", [*gia, "indicators", "erase-addresses", "--every", "3600"]),
        *[Child(f"mail {service}", [*gia, "mail", service]) for service in MAILERS],
    ]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _stop(running: list[Child]) -> None:
    for child in running:
        if child.exited() is None and child.process:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in running:
        if child.process is None:
            continue
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            # The whole session: gunicorn's workers must not outlive their master.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGKILL)
            child.process.wait()


def run_all(settings: Settings, announce: Callable[[str], None]) -> int:
    """Start every process, say where the services are, and stop them all together."""
    stop = stop_on_signals()
    running = children(settings)
    for child in running:
        child.start()
    urls = {service: f"http://127.0.0.1:{settings.ports[service]}" for service in SERVICES}
    waiting = dict(urls)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    trouble: str | None = None
    while not stop.is_set() and trouble is None:
        dead = next((child for child in running if child.exited() is not None), None)
        if dead:
            trouble = f"{dead.name} stopped (exit {dead.exited()})"
        elif waiting and time.monotonic() > deadline:
            trouble = f"not ready after {READY_TIMEOUT_SECONDS:.0f}s: {', '.join(waiting)}"
        else:
            for service, url in list(waiting.items()):
                if _ready(url):
                    del waiting[service]
                    if not waiting:
                        announce(_banner(urls))
            stop.wait(0.25 if waiting else 1.0)
    announce(f"{trouble}; stopping the rest" if trouble else "stopping…")
    _stop(running)
    return 1 if trouble else 0


def _banner(urls: dict[str, str]) -> str:
    width = max(len(service) for service in urls)
    lines = [f"  {service:<{width}}  {url}" for service, url in urls.items()]
    return "\n".join(
        [
            "",
            "GIA 2012 is running:",
            *lines,
            "",
            "API docs at <url>/api/v1/openapi.json.",
            "Ctrl-C stops everything.",
            "",
        ]
    )
