"""Running the processes the registry derives: one each, or all of them under ``gia run``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from gia.registry import MANIFESTS, Process, application_name, processes, topology
from shared.db import Database
from shared.events.relay import Relay
from shared.events.topology import broker_connection
from shared.heartbeat import Heartbeat
from shared.manifest import Manifest, resolve
from shared.settings import Settings

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


def serve_command() -> list[str]:
    """gunicorn on ``gia.wsgi``, which builds the app of the service in ``GIA_SERVICE``."""
    return [sys.executable, "-m", "gunicorn", "--config", str(gunicorn_config()), "gia.wsgi:app"]


def serve(settings: Settings, service: Manifest, port: int | None) -> None:
    """Replace this process with gunicorn, so signals reach it directly."""
    os.environ["GIA_SERVICE"] = service.name
    os.environ.setdefault("GIA_PROCESS", application_name(f"web {service.name}"))
    if port:
        os.environ["PORT"] = str(port)
    else:
        os.environ.setdefault("PORT", str(service.port_in(settings)))
    for key, value in metrics_env(settings, service).items():
        os.environ.setdefault(key, value)
    command = serve_command()
    os.execv(command[0], command)


def metrics_env(settings: Settings, service: Manifest) -> dict[str, str]:
    """Where gunicorn's master serves the metrics its workers write to their folder."""
    return {
        "GIA_METRICS_PORT": str(service.metrics_port_in(settings)),
        "PROMETHEUS_MULTIPROC_DIR": str(settings.var_dir / "metrics" / service.name),
    }


def relay(settings: Settings, service: Manifest) -> None:
    settings = settings.for_service(service.name)
    db = Database.for_service(settings, service.name)
    outbox = resolve(service.outbox or "")
    Relay(
        db,
        outbox,
        lambda: broker_connection(settings),
        topology(settings),
        keep_sent=timedelta(days=settings.outbox_keep_days),
    ).run(stop_on_signals(), Heartbeat.of_process(settings))
    db.dispose()


def consume(settings: Settings, service: Manifest) -> None:
    consumer = resolve(service.consumer or "")(settings.for_service(service.name))
    consumer.run(stop_on_signals(), Heartbeat.of_process(settings))
    consumer.db.dispose()


def send_mail(settings: Settings, service: Manifest) -> None:
    worker = resolve(service.mail or "")(settings)
    worker.run(stop_on_signals(), Heartbeat.of_process(settings))
    worker.db.dispose()


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


def children(settings: Settings, manifests: Sequence[Manifest] = MANIFESTS) -> list[Child]:
    return [_child(settings, process) for process in processes(manifests)]


def _child(settings: Settings, process: Process) -> Child:
    named = {"GIA_PROCESS": process.application_name}
    if process.web is None:
        return Child(process.name, [sys.executable, "-m", "gia", *process.args], named)
    name = process.web.name
    return Child(
        process.name,
        serve_command(),
        {
            **named,
            "GIA_SERVICE": name,
            "GIA_BIND": f"127.0.0.1:{process.web.port_in(settings)}",
            "GIA_WEB_WORKERS": os.environ.get("GIA_WEB_WORKERS", "2"),
            **metrics_env(settings, process.web),
        },
    )


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health/ready", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop_children(running: list[Child]) -> None:
    """SIGTERM to all at once, so they finish together; whatever still runs after the
    grace period is killed with its whole session."""
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


def run_all(
    settings: Settings, announce: Callable[[str], None], manifests: Sequence[Manifest] = MANIFESTS
) -> int:
    """Start every process, say where the services are, and stop them all together."""
    stop = stop_on_signals()
    running = children(settings, manifests)
    for child in running:
        child.start()
    urls = {found.name: f"http://127.0.0.1:{found.port_in(settings)}" for found in manifests}
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
    stop_children(running)
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
