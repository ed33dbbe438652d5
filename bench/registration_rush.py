"""How the registration service holds up when a popular meeting opens and everyone registers.

Runs the real path on the local PostgreSQL: the registration service under
gunicorn as the production command starts it, one meeting with few seats, and
many clients registering at the same moment. Every registration takes the
meeting's row lock, so this measures how fast the service queues people up
while still giving the seats and waiting-list places strictly in order. It
prints registrations/s, p50 and p99 latency and the HTTP statuses; the CPU
used by the client itself (it shares the machine with the service), by the
gunicorn workers and by their PostgreSQL backends; and checks the outcome:
exactly ``capacity`` confirmed, everyone else waiting at positions
1..N-capacity, one mail queued per registration (the ``gia mail`` worker sends
them apart from the requests).

Usage: python bench/registration_rush.py [--registrations 2000] [--clients 200]
       [--capacity 40] [--workers 4] [--rate REGISTRATIONS_PER_SECOND] [--port PORT]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func, select

# Run as a script from anywhere: the project root holds the packages and the test factories.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gia.migrations import upgrade
from services.registration.models import MailQueue
from shared.auth.tokens import mint_token
from shared.db import Database
from shared.settings import Settings, load_settings
from tests.factories import MEETING
from tests.isolation import isolated_env, remove

DATABASE_URL = os.environ.get("GIA_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("GIA_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
HOST = "127.0.0.1"
READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 30.0
AIM_RATE = 300.0
AIM_P99_MS = 250.0
ACTIVE = ("confirmed", "waitlisted")


@dataclass
class Result:
    """One request as the client saw it; bodies are parsed only after the clock stops."""

    status: int | str
    seconds: float
    body: bytes


class Client(threading.Thread):
    """One person's browser: its own keep-alive connection, reopened after an error.

    Gunicorn's sync workers close every connection after the response, so in
    practice each registration connects anew; http.client does that by itself.
    """

    def __init__(
        self,
        port: int,
        meeting_id: str,
        bodies: list[bytes],
        ready: threading.Barrier,
        go: threading.Event,
        schedule: list[float] | None,
    ) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.meeting_id = meeting_id
        self.bodies = bodies
        self.ready = ready
        self.go = go
        self.schedule = schedule
        self.results: list[Result] = []

    def run(self) -> None:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        # Warm up, uncounted: workers open their database connections, as in a
        # service that has been up for a while.
        self.send(connection, "GET", f"/api/v1/meetings/{self.meeting_id}", None)
        self.ready.wait()
        self.go.wait()
        path = f"/api/v1/meetings/{self.meeting_id}/registrations"
        if self.schedule is None:
            self.results = [self.send(connection, "POST", path, body) for body in self.bodies]
        else:
            for due, body in zip(self.schedule, self.bodies, strict=True):
                time.sleep(max(due - time.perf_counter(), 0.0))
                self.results.append(self.send(connection, "POST", path, body, due))
        connection.close()

    @staticmethod
    def send(
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        body: bytes | None,
        due: float | None = None,
    ) -> Result:
        """``due``: when a paced request should have left; its latency counts from then, so a
        client held up by a slow answer does not hide the wait it caused (coordinated omission)."""
        headers = {"Content-Type": "application/json"} if body else {}
        started = time.perf_counter() if due is None else due
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            payload = response.read()
            status: int | str = response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()  # the next request connects again
            payload, status = b"", type(error).__name__
        return Result(status, time.perf_counter() - started, payload)


# -- the service -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_service(
    env: dict[str, str], port: int, workers: int, scratch: Path, app_name: str
) -> subprocess.Popen[bytes]:
    """``gia serve registration`` with the settings compose and Kubernetes give web services.

    PGAPPNAME (read by libpq) tags the workers' database sessions, so the bench
    can find their PostgreSQL backends without touching the service.
    """
    environment = {
        **os.environ,
        **env,
        "GIA_WEB_WORKERS": str(workers),
        "GIA_LOG_LEVEL": "WARNING",
        "GIA_MAIL_DIR": str(scratch / "mail"),
        "PROMETHEUS_MULTIPROC_DIR": str(scratch / "metrics"),
        "PGAPPNAME": app_name,
    }
    environment.pop("GIA_BIND", None)  # it would win over --port
    command = [sys.executable, "-m", "gia", "serve", "registration", "--port", str(port)]
    # To a file, not the terminal: a failing rush would print thousands of tracebacks.
    with (scratch / "service.log").open("wb") as log:
        return subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)


def logged_errors(log: str) -> list[str]:
    """The service's ERROR lines, each as its message and the exception's last line."""
    errors = []
    for line in log.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and record.get("level") in ("ERROR", "CRITICAL"):
            exception = (record.get("exc_info") or "").strip().rsplit("\n", 1)[-1]
            errors.append(f"{record.get('message')} {exception}".strip())
    return errors


def queued_mails(settings: Settings) -> int:
    db = Database.for_service(settings, "registration")
    try:
        with db.transaction() as session:
            return session.scalar(select(func.count()).select_from(MailQueue)) or 0
    finally:
        db.dispose()


def code_version() -> str:
    """The commit measured, and whether uncommitted changes were measured with it."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def wait_until_ready(process: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the service stopped before it was ready (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the service was not ready after {READY_TIMEOUT_SECONDS:.0f}s")


def stop_service(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def call(base: str, method: str, path: str, token: str, data: Any = None) -> Any:
    """A staff API call outside the rush; any answer but 2xx ends the bench."""
    request = urllib.request.Request(
        f"{base}{path}",
        data=json.dumps(data).encode() if data is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{method} {path}: {error.code} {error.read()[:500]!r}") from error


# -- CPU accounting (Linux /proc) ------------------------------------------------------


def process_ticks(pids: list[int]) -> dict[int, int]:
    """User + system clock ticks of each process that still exists."""
    ticks = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
    return ticks


def children_of(parent: int) -> list[int]:
    """The gunicorn workers: every process whose parent is the master."""
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == parent:
                children.append(int(entry))
    return children


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return sum(values) - values[3] - values[4], sum(values)  # minus idle and iowait


@dataclass
class CpuSample:
    client: float
    workers: dict[int, int]
    backends: dict[int, int]
    machine: tuple[int, int]


class CpuMeter:
    """CPU of the client, the workers and their own PostgreSQL backends, and the whole machine.

    The machine figure shows whether anything else (a test run, say) competed
    for the two cores while the bench ran.
    """

    def __init__(self, master: int, app_name: str) -> None:
        self.master = master
        self.app_name = app_name
        self.db = psycopg.connect(DATABASE_URL, autocommit=True)

    def backend_pids(self) -> list[int]:
        rows = self.db.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (self.app_name,)
        ).fetchall()
        return [pid for (pid,) in rows]

    def sample(self) -> CpuSample:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return CpuSample(
            client=usage.ru_utime + usage.ru_stime,
            workers=process_ticks(children_of(self.master)),
            backends=process_ticks(self.backend_pids()),
            machine=machine_ticks(),
        )

    def close(self) -> None:
        self.db.close()


@dataclass
class CpuUse:
    """Seconds of CPU during the rush."""

    client: float
    workers: float
    backends: float
    machine: float
    machine_capacity: float

    @classmethod
    def between(cls, before: CpuSample, after: CpuSample) -> CpuUse:
        tick = os.sysconf("SC_CLK_TCK")

        def spent(old: dict[int, int], new: dict[int, int]) -> float:
            return sum(ticks - old.get(pid, 0) for pid, ticks in new.items()) / tick

        return cls(
            client=after.client - before.client,
            workers=spent(before.workers, after.workers),
            backends=spent(before.backends, after.backends),
            machine=(after.machine[0] - before.machine[0]) / tick,
            machine_capacity=(after.machine[1] - before.machine[1]) / tick,
        )


# -- the rush ------------------------------------------------------------------------


@dataclass
class Rush:
    results: list[Result]
    wall: float
    cpu: CpuUse


def rush(
    port: int,
    meeting_id: str,
    registrations: int,
    clients: int,
    meter: CpuMeter,
    rate: float | None,
) -> Rush:
    """All clients start together; each sends its share of registrations one after another.

    Back to back by default, which finds the most the service can do. With a
    ``rate`` the clients together offer that many registrations per second,
    evenly spaced, which shows the latency people see at that load.
    """
    tag = uuid.uuid4().hex[:8]
    bodies = [
        json.dumps(
            {
                "name": f"Deelnemer {number}",
                "email": f"rush-{tag}-{number}@example.nl",
                "role": "official",
                "municipality_code": "GM0599",
            }
        ).encode()
        for number in range(registrations)
    ]
    ready, go = threading.Barrier(clients + 1), threading.Event()
    # Filled in with real times once everyone is ready; a client's list is shared with it.
    schedules: list[list[float]] = [[] for _ in range(clients)]
    threads = [
        Client(
            port,
            meeting_id,
            bodies[index::clients],
            ready,
            go,
            schedules[index] if rate else None,
        )
        for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    ready.wait()  # every client has connected once and waits
    before = meter.sample()
    started = time.perf_counter()
    if rate:
        for number in range(registrations):
            schedules[number % clients].append(started + number / rate)
    go.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = CpuUse.between(before, meter.sample())
    return Rush([result for thread in threads for result in thread.results], wall, cpu)


def check(
    registered: list[dict[str, Any]],
    answers: list[Result],
    capacity: int,
    total: int,
    mails: int,
    errors: list[str],
) -> list[str]:
    """Everything wrong with the outcome; empty when seats and waiting list are exactly right."""
    problems = []
    refused = Counter(str(result.status) for result in answers if result.status != 201)
    if refused:
        problems.append(f"answers other than 201: {dict(refused)}")
    if errors:
        problems.append(f"the service logged {len(errors)} error(s), the first: {errors[0]}")
    created = [json.loads(result.body) for result in answers if result.status == 201]
    odd = Counter(body.get("status") for body in created if body.get("status") not in ACTIVE)
    if odd:
        problems.append(f"201 answers with an unexpected status: {dict(odd)}")
    statuses = Counter(item["status"] for item in registered)
    confirmed = min(capacity, total)
    if len(registered) != total:
        problems.append(f"{len(registered)} registrations stored, expected {total}")
    if statuses["confirmed"] != confirmed:
        problems.append(f"{statuses['confirmed']} confirmed, expected {confirmed}")
    if statuses["waitlisted"] != total - confirmed:
        problems.append(f"{statuses['waitlisted']} waitlisted, expected {total - confirmed}")
    if statuses.keys() - set(ACTIVE):
        problems.append(f"unexpected statuses stored: {dict(statuses)}")
    positions = sorted(
        item["waitlist_position"] for item in registered if item["status"] == "waitlisted"
    )
    if positions != list(range(1, len(positions) + 1)):
        problems.append(f"waitlist positions are not 1..{len(positions)}: {positions[:10]}...")
    if mails != len(created):
        problems.append(f"{mails} mails queued for {len(created)} registrations")
    return problems


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def report(args: argparse.Namespace, outcome: Rush, problems: list[str], version: str) -> None:
    latencies = sorted(result.seconds * 1000 for result in outcome.results)
    statuses = Counter(str(result.status) for result in outcome.results)
    wall, cpu, count = outcome.wall, outcome.cpu, args.registrations
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    others = max(cpu.machine - cpu.client - cpu.workers - cpu.backends, 0.0)
    print()
    print(
        f"{count} registrations from {args.clients} clients, capacity {args.capacity}, "
        f"{args.workers} gunicorn sync workers, {os.cpu_count()} CPUs, code {version}"
    )
    print(
        f"throughput  {count / wall:7.0f} registrations/s in {wall:.2f} s  (aim >= {AIM_RATE:.0f})"
    )
    print(
        f"latency     p50 {p50:.1f} ms   p99 {p99:.1f} ms   max {latencies[-1]:.1f} ms  "
        f"(aim p99 < {AIM_P99_MS:.0f} ms)"
    )
    if args.rate:
        print(f"            offered {args.rate:.0f}/s, evenly spaced over {args.clients} clients")
    else:
        # Each client sends its next registration as soon as the last is answered, so
        # by Little's law the mean latency is clients / throughput, whatever the service.
        print(
            f"            {args.clients} clients back to back at {count / wall:.0f}/s queue "
            f"{args.clients / count * wall * 1000:.0f} ms on average; p99 < {AIM_P99_MS:.0f} ms "
            f"needs > {args.clients / AIM_P99_MS * 1000:.0f}/s"
        )
    print("statuses    " + "   ".join(f"{code}: {n}" for code, n in sorted(statuses.items())))
    print("CPU during the rush (seconds; per registration; share of one core):")
    for name, seconds in (
        ("client (this process)", cpu.client),
        ("gunicorn workers", cpu.workers),
        ("their PostgreSQL backends", cpu.backends),
        ("anything else on the machine", others),
    ):
        print(
            f"  {name:<29} {seconds:6.2f} s  {seconds / count * 1000:5.2f} ms  "
            f"{seconds / wall:5.0%}"
        )
    print(f"  machine busy {cpu.machine / cpu.machine_capacity:.0%} of all CPUs")
    verdict = "OK" if not problems else "WRONG: " + "; ".join(problems)
    print(f"check       {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=2000, help="registrations in all")
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients")
    parser.add_argument("--capacity", type=int, default=40, help="seats of the meeting")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 cores here)")
    parser.add_argument(
        "--rate", type=float, default=None, help="offered registrations/s (default: back to back)"
    )
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    args = parser.parse_args()
    if min(args.registrations, args.clients, args.capacity, args.workers) < 1:
        parser.error("--registrations, --clients, --capacity and --workers must be at least 1")
    args.clients = min(args.clients, args.registrations)

    scratch = Path(tempfile.mkdtemp(prefix="gia-rush-"))
    env = isolated_env(DATABASE_URL, BROKER_URL, scratch / "var", prefix="r")
    settings = load_settings(env)
    port = args.port or free_port()
    base = f"http://{HOST}:{port}"
    app_name = f"gia-rush-{env['GIA_DATABASE_SCHEMA_PREFIX'].rstrip('_')}"
    version = code_version()
    process: subprocess.Popen[bytes] | None = None
    meter: CpuMeter | None = None
    log = ""
    try:
        upgrade(settings, ("auth", "registration"))
        process = start_service(env, port, args.workers, scratch, app_name)
        wait_until_ready(process, base)
        meter = CpuMeter(process.pid, app_name)
        token = mint_token(settings.secret_key, "staff", "bench", timedelta(hours=1))
        meeting = call(
            base, "POST", "/api/v1/meetings", token, {**MEETING, "capacity": args.capacity}
        )
        print(f"rush: {args.registrations} registrations, {args.clients} clients ...", flush=True)
        outcome = rush(port, meeting["id"], args.registrations, args.clients, meter, args.rate)
        registered = call(base, "GET", f"/api/v1/meetings/{meeting['id']}/registrations", token)
        mails = queued_mails(settings)
    except BaseException:
        if (scratch / "service.log").exists():
            print((scratch / "service.log").read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        if meter is not None:
            meter.close()
        if process is not None:
            stop_service(process)
        if (scratch / "service.log").exists():
            log = (scratch / "service.log").read_text(errors="replace")
        remove(settings)
        shutil.rmtree(scratch, ignore_errors=True)

    errors = logged_errors(log)
    problems = check(registered, outcome.results, args.capacity, args.registrations, mails, errors)
    report(args, outcome, problems, version)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
