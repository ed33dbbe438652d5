"""Faults under load on a three-node RabbitMQ cluster: is any event lost or counted twice?

Starts three clustered RabbitMQ nodes of its own (bench/rabbitmq_cluster.py), a database of its
own on the local PostgreSQL, a real SMTP server (aiosmtpd) in this process, and every process
``gia run`` starts, on the fail-over broker URL of the three nodes. The bench supervises those
processes itself and restarts any that dies, as an orchestrator would: ``gia run`` stops
everything when one of its processes dies. Under a steady load through the HTTP APIs
(registrations and their check-ins, praktijkteam requests moved to intake and accepted, essays
signed up, confirmed by the e-mailed link and submitted) it applies one fault after another:
the node leading the indicators' quorum queue stopped and started again, the SMTP server
stopped for a while, a relay and the indicators consumer killed (SIGKILL), a gunicorn worker
killed, and the services' PostgreSQL connections terminated (by application_name).

After each fault one row: the events written (outbox rows) since the previous fault ended,
how many the indicators counted (inbox rows), lost, counted twice so far (an inbox row beyond
one per event or from no outbox, one change counted under two event ids, and every figure
that differs from a fold of the stored events), mails twice so far (arrived twice by
Message-ID, or taken by the SMTP server but not settled, so bound to go again), HTTP errors the
load saw, the longest an event of the window took to be counted, and the seconds from the
fault's end until every event written up to then was counted. Then the load stops: every event
and every mail must arrive, every change an API acknowledged must be counted, and ``gia
indicators verify`` must agree. Exit 1 on any loss or double count. Everything started or
created is removed, also after Ctrl-C.

Usage: python bench/faults.py [--hold 8] [--steady 5] [--recovery 60] [--logs DIR]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller
from sqlalchemy import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.rabbitmq_cluster import Cluster, three_node_cluster
from bench.registration_rush import (
    DATABASE_URL,
    HOST,
    call,
    children_of,
    free_port,
    wait_until_ready,
)
from bench.system import ROOT, gia, system_env, unsent_mail
from gia.registry import MANIFESTS, application_name, processes, topology
from gia.supervisor import Child, children, stop_children
from services.indicators.rebuild import verify
from shared.auth.tokens import mint_token
from shared.db import Database
from shared.events.catalogue import (
    ATTENDED,
    ESSAY_SIGNED_UP,
    ESSAY_SUBMITTED,
    PRACTICETEAM_EVENTS,
    REGISTERED,
    SURVEY_ANSWERED,
)
from shared.events.trust import Trust
from shared.municipalities import load_register
from shared.settings import Settings, load_settings
from tests.factories import ESSAY_CONTEST, MEETING, PRACTICETEAM_REQUEST
from tests.isolation import remove

AIM_SECONDS = 15.0
RESTART_DELAY_SECONDS = 1.0  # how long the bench, as a supervisor, waits before a restart
MAIL_WAIT_SECONDS = 150.0  # a refused mail is tried again after 60 s, then 120 s
REGISTRATION_EVERY = 0.3
REQUEST_EVERY = 1.5
ESSAY_EVERY = 3.0
ESSAY_FLOWS = 4
SETTLE_SECONDS = 3.0  # a mail the server took longer ago than this was settled, or will not be
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
STARTED = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {text}", flush=True)


def utc() -> datetime:
    return datetime.now(UTC)


# -- PostgreSQL and SMTP of the bench's own ------------------------------------------------


@contextmanager
def own_database() -> Iterator[str]:
    """A database of this run on the local PostgreSQL: terminating its connections can never
    reach another run's, and dropping it removes everything the run wrote."""
    name = f"gia_faults_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class MailBox:
    """The SMTP server's side: when each Message-ID arrived, and each recipient's mail texts
    (the essay flow follows the links in them)."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = defaultdict(list)
        self.texts: dict[str, list[str]] = defaultdict(list)
        self.changed = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        with self.changed:
            self.arrivals[str(message["Message-ID"])].append(time.time())
            for to in envelope.rcpt_tos:
                self.texts[to.lower()].append(text)
            self.changed.notify_all()
        return "250 OK"

    def twice(self) -> int:
        with self.changed:
            return sum(len(times) - 1 for times in self.arrivals.values())

    def link(self, address: str, number: int, stop: threading.Event) -> str | None:
        """The first link in the ``number``-th mail to ``address``, once it came."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        with self.changed:
            while len(self.texts[address]) < number:
                if stop.is_set() or time.monotonic() > deadline:
                    return None
                self.changed.wait(0.5)
            found = re.findall(r"http\S+", self.texts[address][number - 1])
        return found[0] if found else None


class SmtpServer:
    """aiosmtpd on a fixed port, so it can be stopped and started again as a mail server."""

    def __init__(self, box: MailBox) -> None:
        self.box = box
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.box, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# -- the processes, supervised -------------------------------------------------------------


class Supervisor:
    """Every process ``gia run`` starts (``gia.supervisor.children``), each started again
    when it dies, as Kubernetes or systemd would."""

    def __init__(self, settings: Settings, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.children = {child.name: child for child in children(settings)}
        self.restarts: Counter[str] = Counter()
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def _start(self, child: Child) -> None:
        """In a session of its own, as ``gia run`` starts it; output to a log per process."""
        with (self.logs / f"{child.name.replace(' ', '-')}.log").open("ab") as log:
            child.process = subprocess.Popen(
                child.command,
                env={**self.env, **child.env},
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        for child in self.children.values():
            self._start(child)
        self.watcher.start()

    def _watch(self) -> None:
        while not self.stopping.wait(0.2):
            for child in self.children.values():
                code = child.exited()
                if code is None or self.stopping.wait(RESTART_DELAY_SECONDS):
                    continue
                last = self.log_tail(child.name, 600).strip().splitlines()[-1:]
                say(f"  {child.name} exited ({code}); the bench starts it again. {last}")
                self._start(child)
                self.restarts[child.name] += 1

    def pid(self, name: str) -> int:
        process = self.children[name].process
        assert process is not None
        return process.pid

    def wait_replaced(self, name: str, old: int, timeout: float = 30.0) -> float:
        """Seconds until ``name`` runs as another process than ``old``."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.pid(name) != old and self.children[name].exited() is None:
                return time.monotonic() - started
            time.sleep(0.05)
        raise SystemExit(f"{name} was not started again in {timeout:.0f} s")

    def stop(self) -> None:
        """The stop ``gia run`` does: SIGTERM, then SIGKILL to what outlives its grace."""
        self.stopping.set()
        if self.watcher.is_alive():
            self.watcher.join()
        stop_children(list(self.children.values()))

    def log_tail(self, name: str, size: int = 2000) -> str:
        path = self.logs / f"{name.replace(' ', '-')}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""


# -- what the databases say ----------------------------------------------------------------


class SnapshotDatabase(Database):
    """``verify`` reads events, evidence, coverage and tallies one after another; in one
    REPEATABLE READ snapshot a consumer's commit in between cannot look like a difference."""

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session


class Ledger:
    """Events written to the outboxes against those in the indicators' inbox, each count in
    one statement (one snapshot), and the mail queues against what the SMTP server got."""

    def __init__(self, settings: Settings, url: str) -> None:
        schema = settings.schema_for
        self.sent = " UNION ALL ".join(
            f'SELECT id, created_at FROM "{schema(found.name)}".outbox'
            for found in MANIFESTS
            if found.outbox
        )
        self.mail = " UNION ALL ".join(
            f'SELECT id, sent_at, attempts FROM "{schema(found.name)}".mail_queue'
            for found in MANIFESTS
            if found.mail
        )
        self.inbox = f'"{schema("indicators")}".received_events'
        self.db = psycopg.connect(url, autocommit=True, application_name="faults-bench")
        self.indicators = SnapshotDatabase.for_service(settings, "indicators")
        self.trust = Trust(settings, load_register(settings.municipalities_file))

    def window(self, start: datetime, end: datetime) -> tuple[int, int, float]:
        """(written, counted, longest seconds from written to counted) of the events written
        after ``start`` up to ``end``."""
        row = self.db.execute(
            "SELECT count(*), count(r.id), "
            "coalesce(extract(epoch FROM max(r.received_at - s.created_at)), 0) "
            f"FROM ({self.sent}) AS s LEFT JOIN {self.inbox} AS r ON r.id = s.id "
            "WHERE s.created_at > %s AND s.created_at <= %s",
            (start, end),
        ).fetchone()
        assert row is not None
        return row[0], row[1], float(row[2])

    def counted_facts(self) -> set[tuple[str, str]]:
        """(type, subject) of every event counted: what the load was told it changed."""
        return set(self.db.execute(f"SELECT type, subject FROM {self.inbox}").fetchall())

    def doubled(self) -> int:
        """Inbox rows beyond one per event id, and rows no outbox wrote (but the indicators'
        own survey answers, which never pass an outbox)."""
        row = self.db.execute(
            f"SELECT (SELECT count(*) - count(DISTINCT id) FROM {self.inbox}) + "
            f"(SELECT count(*) FROM {self.inbox} AS r WHERE r.type <> %s "
            f"AND NOT EXISTS (SELECT 1 FROM ({self.sent}) AS s WHERE s.id = r.id))",
            (SURVEY_ANSWERED,),
        ).fetchone()
        assert row is not None
        return row[0]

    def announced_twice(self) -> int:
        """One change counted under two event ids: a second event of a type about the same
        subject. The load makes each such change once; sign-ups share their contest."""
        row = self.db.execute(
            f"SELECT count(*) - count(DISTINCT (type, subject)) FROM {self.inbox} WHERE type <> %s",
            (ESSAY_SIGNED_UP,),
        ).fetchone()
        assert row is not None
        return row[0]

    def differences(self) -> list[str]:
        """Figures (evidence, coverage, tallies) that differ from a fold of the stored events."""
        return verify(self.indicators, self.trust)

    def refused_mail(self) -> int:
        """Queued mail the server refused at least once and that still waits."""
        row = self.db.execute(
            f"SELECT count(*) FROM ({self.mail}) AS m WHERE m.sent_at IS NULL AND m.attempts > 0"
        ).fetchone()
        assert row is not None
        return row[0]

    def first_connected(self, name: str, since: datetime, timeout: float = 30.0) -> datetime:
        """When a process named ``name`` first opened a database connection after ``since``
        (a restarted process's start-up, before it does any work); ``since`` if none came."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.db.execute(
                "SELECT min(backend_start) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s "
                "AND backend_start > %s",
                (name, since),
            ).fetchone()
            if row and row[0]:
                return row[0]
            time.sleep(0.05)
        return since

    def mail_rows(self) -> dict[str, bool]:
        """Each queued mail's Message-ID (its row id) and whether it was settled as sent."""
        rows = self.db.execute(f"SELECT id, sent_at IS NOT NULL FROM ({self.mail}) AS m")
        return {f"<{row_id}@gia.minbzk.nl>": sent for row_id, sent in rows}

    def close(self) -> None:
        self.db.close()
        self.indicators.dispose()


# -- the load ------------------------------------------------------------------------------


class Load:
    """Steady traffic through the public and staff APIs, each kind in a thread of its own.
    An answer other than success is counted, never retried: the ledger judges the events."""

    def __init__(
        self, urls: dict[str, str], token: str, box: MailBox, meeting: str, contest: str
    ) -> None:
        self.urls = urls
        self.token = token
        self.box = box
        self.meeting = meeting
        self.contest = contest
        self.tag = uuid.uuid4().hex[:6]
        self.codes = [found.code for found in load_register().target_group]
        self.errors: Counter[str] = Counter()
        self.acknowledged: set[tuple[str, str]] = set()  # (event type, subject) answered 2xx
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=self.guarded, args=(work,), daemon=True)
            for work in (self.registrations, self.requests, self.essays)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def guarded(self, work: Callable[[], None]) -> None:
        """A kind of load that stops on an answer it cannot read says so, and counts as an
        error, rather than ending without a word."""
        try:
            work()
        except Exception as error:
            say(f"  load {work.__name__} stopped: {error!r}")
            with self.lock:
                self.errors[f"load {work.__name__} stopped: {type(error).__name__}"] += 1

    def halt(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)

    def error_count(self) -> int:
        with self.lock:
            return sum(self.errors.values())

    def told(self, event_type: str, subject: str) -> None:
        """The API acknowledged a change that the indicators must come to count."""
        with self.lock:
            self.acknowledged.add((event_type, subject))

    def post(self, service: str, path: str, data: Any, staff: bool = False) -> tuple[Any, Any]:
        """(status, parsed body); the status is the exception's name when there was none."""
        headers = {"Content-Type": "application/json"}
        if staff:
            headers["Authorization"] = f"Bearer {self.token}"
        url = f"{self.urls[service]}{path}"
        request = urllib.request.Request(url, json.dumps(data).encode(), headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            status: Any = error.code
        except (OSError, http.client.HTTPException, ValueError) as error:
            status = type(error).__name__
        with self.lock:
            where = re.sub(r"/[0-9a-f-]{36}", "/ID", path.split("?")[0])
            self.errors[f"{service} {where} {status}"] += 1
        return status, None

    def registrations(self) -> None:
        """Registration for a meeting, then the check-in at its door: registered, attended."""
        for n in itertools.count():
            if self.stop.wait(REGISTRATION_EVERY):
                return
            person = {
                "name": f"Deelnemer {n}",
                "email": f"deelnemer-{n}@{self.tag}.example.nl",
                "role": "official",
                "municipality_code": self.codes[n % len(self.codes)],
            }
            status, body = self.post(
                "registration", f"/api/v1/meetings/{self.meeting}/registrations", person
            )
            if status != 201 or body["status"] != "confirmed":
                continue
            subject = f"registration/{body['id']}"
            self.told(REGISTERED, subject)
            check_in = f"/api/v1/registrations/{body['id']}/check-in"
            if self.post("registration", check_in, {}, staff=True)[0] == 200:
                self.told(ATTENDED, subject)

    def requests(self) -> None:
        """A praktijkteam request, moved to intake and accepted by staff: three events."""
        for n in itertools.count():
            if self.stop.wait(REQUEST_EVERY):
                return
            lead, other = self.codes[n % len(self.codes)], self.codes[(n + 7) % len(self.codes)]
            contact = {**PRACTICETEAM_REQUEST["contact"], "email": f"c-{n}@{self.tag}.example.nl"}
            request = {
                **PRACTICETEAM_REQUEST,
                "municipality_codes": [lead, other],
                "lead_municipality_code": lead,
                "contact": contact,
            }
            status, body = self.post("practiceteam", "/api/v1/requests", request)
            if status != 201:
                continue
            subject = f"request/{body['id']}"
            self.told(PRACTICETEAM_EVENTS["submitted"], subject)
            for move in ("intake", "accepted"):
                path = f"/api/v1/requests/{body['id']}/transitions"
                if self.post("practiceteam", path, {"to": move}, staff=True)[0] != 200:
                    break
                self.told(PRACTICETEAM_EVENTS[move], subject)

    def essays(self) -> None:
        """A council member's essay from sign-up to submission, a few at a time: each waits
        for its mails, which a stopped SMTP server holds back for a minute or more."""
        flows = threading.BoundedSemaphore(ESSAY_FLOWS)
        for n in itertools.count():
            if self.stop.wait(ESSAY_EVERY):
                return
            if flows.acquire(blocking=False):
                threading.Thread(target=self.essay, args=(n, flows), daemon=True).start()

    def essay(self, n: int, flows: threading.BoundedSemaphore) -> None:
        try:
            entrant = self.confirmed_entrant(n)
            if entrant is not None:
                self.submit_essay(n, *entrant)
        finally:
            flows.release()

    def confirmed_entrant(self, n: int) -> tuple[str, str] | None:
        """Signed up and confirmed by the mailed link: (entrant id, the token of the personal
        link the second mail brings)."""
        address = f"raadslid-{n}@{self.tag}.example.nl"
        person = {"name": f"Raadslid {n}", "email": address}
        person["municipality_code"] = self.codes[n % len(self.codes)]
        path = f"/api/v1/contests/{self.contest}/entrants"
        status, entrant = self.post("essay_contest", path, person)
        confirm = self.box.link(address, 1, self.stop) if status == 202 else None
        if confirm is None:
            return None
        token = {"token": confirm.split("token=")[1]}
        if self.post("essay_contest", "/api/v1/confirmations", token)[0] != 200:
            return None
        own = self.box.link(address, 2, self.stop)
        return (entrant["id"], own.split("token=")[1]) if own else None

    def submit_essay(self, n: int, entrant_id: str, token: str) -> None:
        entry, query = f"/api/v1/entrants/{entrant_id}/entry", f"?token={token}"
        essay = {"title": f"Essay {n}", "text": "Integratie begint in de wijk, bij ons."}
        status, written = self.post("essay_contest", entry + query, essay)
        if status == 201 and self.post("essay_contest", f"{entry}/submit{query}", {})[0] == 200:
            self.told(ESSAY_SUBMITTED, f"entry/{written['id']}")


# -- the faults ----------------------------------------------------------------------------


@dataclass
class Bench:
    env: dict[str, str]
    settings: Settings
    cluster: Cluster
    supervisor: Supervisor
    smtp: SmtpServer
    ledger: Ledger
    database: str  # its name, the one whose connections may be cut
    queue: str  # the indicators' quorum queue
    hold: float  # seconds a node or the SMTP server stays down
    held_back: set[str] = field(default_factory=set)  # mail queued when SMTP came back
    smtp_back: float = 0.0


@dataclass(frozen=True)
class Done:
    """What a fault did, and when it ended: the moment the figures are timed from."""

    actions: str
    ended: datetime = field(default_factory=utc)


def stop_leader(bench: Bench) -> Done:
    """The node leading the indicators' queue goes down; another takes over, it comes back."""
    cluster = bench.cluster
    leader, _ = cluster.queue(bench.queue)
    say(f"  stopping {leader}, leader of {bench.queue}")
    cluster.stop(cluster.node(leader))
    down = time.monotonic()
    time.sleep(bench.hold)
    successor, _ = cluster.queue(bench.queue)
    say(f"  {successor} leads now; starting {leader} again")
    cluster.start(cluster.node(leader))
    _, members = cluster.queue(bench.queue)
    return Done(
        f"stopped {leader.split('@')[0]}, the leader; {successor.split('@')[0]} took over; "
        f"back after {time.monotonic() - down:.0f} s ({len(members)} members)"
    )


def stop_smtp(bench: Bench) -> Done:
    """The mail server goes away; what the workers send meanwhile waits to be tried again."""
    bench.smtp.stop()
    time.sleep(bench.hold)
    refused = bench.ledger.refused_mail()
    bench.held_back = {mid for mid, sent in bench.ledger.mail_rows().items() if not sent}
    bench.smtp.start()
    bench.smtp_back = time.time()
    return Done(f"SMTP server down {bench.hold:.0f} s; {refused} mails refused, to be retried")


def kill(name: str) -> Callable[[Bench], Done]:
    """SIGKILL a process; the bench starts it again, as its supervisor."""

    def fault(bench: Bench) -> Done:
        pid = bench.supervisor.pid(name)
        killed = utc()
        os.kill(pid, signal.SIGKILL)
        seconds = bench.supervisor.wait_replaced(name, pid)
        restarted = utc()
        connected = bench.ledger.first_connected(application_name(name), killed)
        text = (
            f"SIGKILL {name} (pid {pid}); restarted by the bench after {seconds:.1f} s, "
            f"on PostgreSQL {max((connected - restarted).total_seconds(), 0):.1f} s later"
        )
        return Done(text, restarted)

    return fault


def kill_worker(bench: Bench) -> Done:
    """SIGKILL one gunicorn worker of the registration service; its master starts another."""
    master = bench.supervisor.pid("web registration")
    workers = children_of(master)
    if not workers:
        raise SystemExit("web registration has no gunicorn worker to kill")
    os.kill(workers[0], signal.SIGKILL)
    started = time.monotonic()
    while not (set(children_of(master)) - set(workers)):
        if time.monotonic() - started > 30:
            raise SystemExit("gunicorn started no new worker in 30 s")
        time.sleep(0.05)
    return Done(
        f"SIGKILL gunicorn worker {workers[0]} of web registration; "
        f"its master started another after {time.monotonic() - started:.1f} s"
    )


def terminate_connections(bench: Bench) -> Done:
    """pg_terminate_backend on every connection of the services' processes, found by the
    application_name each sets from GIA_PROCESS, in this run's database only; again every
    half second while the fault holds, so some are cut in the middle of a transaction."""
    kinds = {
        process.application_name: kind if (kind := process.name.split()[0]) in KINDS else "job"
        for process in processes()
    }
    ended: Counter[str] = Counter()
    rounds = 0
    deadline = time.monotonic() + bench.hold
    with psycopg.connect(DATABASE_URL, autocommit=True) as admin:
        while time.monotonic() < deadline:
            rows = admin.execute(
                "SELECT application_name, pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = ANY(%s)",
                (bench.database, list(kinds)),
            ).fetchall()
            ended.update(kinds[name] for name, cut in rows if cut)
            rounds += 1
            time.sleep(0.5)
    listed = ", ".join(f"{kind} {count}" for kind, count in sorted(ended.items()))
    return Done(
        f"pg_terminate_backend {rounds} times in {bench.hold:.0f} s: "
        f"{ended.total()} connections ({listed})"
    )


KINDS = ("web", "relay", "consumer", "mail")  # of process; the rest are periodic jobs
FAULTS: tuple[tuple[str, Callable[[Bench], Done]], ...] = (
    ("queue leader stopped", stop_leader),
    ("SMTP server stopped", stop_smtp),
    ("relay killed", kill("relay registration")),
    ("consumer killed", kill("consumer indicators")),
    ("gunicorn worker killed", kill_worker),
    ("database connections cut", terminate_connections),
)


# -- rows of the table ---------------------------------------------------------------------


@dataclass
class Row:
    fault: str
    actions: str
    sent: int
    counted: int
    twice: int
    mails_twice: int
    http_errors: int
    longest: float  # seconds the slowest event of the window took to be counted
    seconds: float | None  # until right again; None: not within the recovery time

    @property
    def lost(self) -> int:
        return self.sent - self.counted

    def cells(self) -> list[str]:
        back = f"{self.seconds:.1f}" if self.seconds is not None else "never"
        numbers = (self.sent, self.counted, self.lost, self.twice, self.mails_twice)
        times = (f"{self.longest:.1f}", back)
        return [self.fault, self.actions, *map(str, numbers), str(self.http_errors), *times]


HEADERS = [
    "fault",
    "actions",
    "events sent",
    "counted",
    "lost",
    "counted twice",
    "mails twice",
    "http errors",
    "longest wait (s)",
    "right after (s)",
]


def table(rows: list[Row]) -> str:
    """A Markdown table, so the README can carry it as printed."""
    lines = [HEADERS, ["---"] * len(HEADERS), *(row.cells() for row in rows)]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


@dataclass
class Progress:
    """What the previous row ended with, so each row tells its own window."""

    since: datetime
    http_errors: int = 0
    rows: list[Row] = field(default_factory=list)


def settle(
    ledger: Ledger, start: datetime, end: datetime, limit: float
) -> tuple[int, int, float, float]:
    """Poll until every event written in the window is counted, or ``limit`` seconds pass;
    (written, counted, longest wait of one event, seconds since ``end``)."""
    deadline = time.monotonic() + limit
    while True:
        sent, counted, longest = ledger.window(start, end)
        if sent == counted or time.monotonic() > deadline:
            return sent, counted, longest, (utc() - end).total_seconds()
        time.sleep(0.2)


def measure(
    bench: Bench, load: Load, progress: Progress, fault: str, done: Done, limit: float
) -> Row:
    ended = done.ended
    sent, counted, longest, seconds = settle(bench.ledger, progress.since, ended, limit)
    differences = bench.ledger.differences()
    for line in differences[:5]:
        say(f"  figure differs from the events: {line}")
    errors = load.error_count()
    row = Row(
        fault=fault,
        actions=done.actions,
        sent=sent,
        counted=counted,
        twice=bench.ledger.doubled() + bench.ledger.announced_twice() + len(differences),
        mails_twice=mails_twice(bench),
        http_errors=errors - progress.http_errors,
        longest=longest,
        seconds=seconds if sent == counted else None,
    )
    progress.since, progress.http_errors = ended, errors
    progress.rows.append(row)
    say(f"  {' | '.join(row.cells()[2:])}")
    return row


# -- the run -------------------------------------------------------------------------------


def bench_env(
    scratch: Path, cluster: Cluster, database_url: str, smtp: SmtpServer
) -> dict[str, str]:
    """bench/system.py's isolation on this run's database, cluster and SMTP server. All load
    comes from one address, so the per-address mail limits are lifted."""
    env = system_env(scratch, "f")
    env.update(
        GIA_DATABASE_URL=database_url,
        GIA_BROKER_URL=cluster.broker_url,
        GIA_SMTP_HOST=HOST,
        GIA_SMTP_PORT=str(smtp.port),
        GIA_MAIL_LIMIT_ADDRESS="100000/minute",
        GIA_MAIL_LIMIT_RECIPIENT="100000/minute",
    )
    return env


def start_processes(settings: Settings, env: dict[str, str], logs: Path) -> Supervisor:
    say("migrating, then starting every process gia run starts ...")
    gia(env, "migrate")
    supervisor = Supervisor(settings, env, logs)
    supervisor.start()
    for found in MANIFESTS:
        process = supervisor.children[f"web {found.name}"].process
        assert process is not None
        wait_until_ready(process, f"http://{HOST}:{found.port_in(settings)}")
    return supervisor


def replicated_queues(cluster: Cluster, settings: Settings) -> None:
    """The relays and consumers declare the queues when they start; each quorum queue must
    have a member on every node (the initial group size defaults to the cluster's size)."""
    names = [queue.name for queue in topology(settings).all_queues()]
    deadline = time.monotonic() + 30
    while set(names) - set(found := cluster.queues()):
        if time.monotonic() > deadline:
            raise SystemExit(f"queues not declared in 30 s: {set(names) - set(found)}")
        time.sleep(0.5)
    everyone = sorted(node.name for node in cluster.nodes)
    for name in names:
        queue = found[name]
        members = sorted(queue.get("members") or [])
        if queue["type"] == "quorum" and members != everyone:
            raise SystemExit(f"{name} has members {members}, not {everyone}")
        where = f"leader {queue.get('leader')}, {len(members)} members"
        say(f"  {queue['type']} queue {name}: {where if members else ''}")


def start_load(settings: Settings, box: MailBox) -> Load:
    """A meeting with room for everyone and an essay contest open now, then the load."""
    token = mint_token(settings.secret_key, "staff", "faults-bench", timedelta(hours=2))
    urls = {found.name: f"http://{HOST}:{found.port_in(settings)}" for found in MANIFESTS}
    meeting = call(
        urls["registration"], "POST", "/api/v1/meetings", token, {**MEETING, "capacity": 5000}
    )
    now = utc()
    contest = {
        **ESSAY_CONTEST,
        "opens_at": (now - timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "publishes_at": (now + timedelta(days=60)).isoformat(),
        "min_words": 5,  # the bench's essays are short
    }
    created = call(urls["essay_contest"], "POST", "/api/v1/contests", token, contest)
    load = Load(urls, token, box, meeting["id"], created["id"])
    load.start()
    return load


def finish(bench: Bench, load: Load, limit: float) -> Row:
    """The load stops: every event must arrive, and every mail."""
    load.halt()
    say("load stopped; waiting for every event and every mail ...")
    row = measure(
        bench, load, Progress(EPOCH), "all, load stopped", Done("every event so far"), limit
    )
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while unsent_mail(bench.settings) > len(unsettled(bench)) and time.monotonic() < deadline:
        time.sleep(1)
    return row


def unsettled(bench: Bench) -> list[str]:
    """Mails the SMTP server took (a few seconds ago, so not just being settled) that are
    still queued: their worker could not record the send, so the row goes again when its
    lease ends (``shared.mail_queue.LEASE``), with the same Message-ID."""
    box, before = bench.smtp.box, time.time() - SETTLE_SECONDS
    with box.changed:
        arrived = {mid for mid, times in box.arrivals.items() if times[0] < before}
    return [mid for mid, sent in bench.ledger.mail_rows().items() if not sent and mid in arrived]


def mails_twice(bench: Bench) -> int:
    """Arrived twice so far, and bound to arrive twice: sent, but not settled."""
    return bench.smtp.box.twice() + len(unsettled(bench))


def mail_problems(bench: Bench) -> list[str]:
    """Every queued mail against what the SMTP server received."""
    rows = bench.ledger.mail_rows()
    box = bench.smtp.box
    settled = [mid for mid, sent in rows.items() if sent]
    missing = [mid for mid in settled if mid not in box.arrivals]
    again = unsettled(bench)
    waiting = [mid for mid, sent in rows.items() if not sent and mid not in again]
    say(
        f"mail: {len(rows)} queued, {len(settled)} settled as sent, {len(box.arrivals)} arrived, "
        f"{box.twice()} twice; {len(again)} arrived but are still queued (they go again when "
        f"their lease ends), {len(waiting)} not sent"
    )
    held = [max(box.arrivals[mid]) for mid in bench.held_back if mid in box.arrivals]
    if held:
        say(
            f"mail held back by the SMTP outage: {len(bench.held_back)}, the last arrived "
            f"{max(held) - bench.smtp_back:.0f} s after the server was back "
            "(a refused mail is tried again after 60 s)"
        )
    problems = []
    if missing:
        problems.append(f"{len(missing)} mails settled as sent never arrived, e.g. {missing[0]}")
    if box.twice():
        problems.append(f"{box.twice()} mails arrived twice")
    if again:
        problems.append(
            f"{len(again)} mails sent but not settled, to be sent again when their lease ends, "
            f"e.g. {again[0]}"
        )
    if waiting:
        problems.append(f"{len(waiting)} mails not sent after {MAIL_WAIT_SECONDS:.0f} s")
    return problems


def acknowledged_problems(bench: Bench, load: Load) -> list[str]:
    """What the APIs answered as done must be counted: the outbox and its relay stand
    between the two, and a fault may have cut in after the answer."""
    missing = load.acknowledged - bench.ledger.counted_facts()
    kinds = Counter(event_type.rsplit(".", 1)[1] for event_type, _ in load.acknowledged)
    say(
        f"acknowledged by the APIs: {len(load.acknowledged)} changes "
        f"({', '.join(f'{kind} {n}' for kind, n in sorted(kinds.items()))}), "
        f"{len(missing)} of them not counted"
    )
    errors = ", ".join(f"{what}: {n}" for what, n in load.errors.most_common())
    say(f"http errors the load saw: {errors or 'none'}")
    if missing:
        return [f"{len(missing)} acknowledged changes not counted, e.g. {min(missing)}"]
    return []


def row_problems(rows: list[Row], limit: float) -> list[str]:
    problems = []
    for row in rows:
        if row.seconds is None:
            problems.append(f"{row.fault}: {row.lost} events not counted within {limit:.0f} s")
        if row.twice:
            problems.append(f"{row.fault}: {row.twice} counted twice")
        if row.mails_twice:
            problems.append(f"{row.fault}: {row.mails_twice} mails twice so far")
    return problems


def verify_command(env: dict[str, str]) -> list[str]:
    """``gia indicators verify``, as an operator runs it after an incident."""
    done = subprocess.run(
        [sys.executable, "-m", "gia", "indicators", "verify"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    say(f"gia indicators verify: {(done.stdout + done.stderr).strip()} (exit {done.returncode})")
    return [f"gia indicators verify exited {done.returncode}"] if done.returncode else []


def run_faults(bench: Bench, load: Load, args: argparse.Namespace) -> list[Row]:
    progress = Progress(EPOCH)
    say(f"steady load for {args.steady:.0f} s before the first fault")
    time.sleep(args.steady)
    for name, fault in FAULTS:
        say(f"fault: {name}")
        measure(bench, load, progress, name, fault(bench), args.recovery)
        time.sleep(args.steady)
    return progress.rows


def remove_quietly(settings: Settings) -> None:
    """The run's queues and Redis keys (its database goes whole afterwards)."""
    try:
        remove(settings)
    except Exception as error:  # what is left goes with the cluster and the database
        say(f"could not remove everything: {error}")


def start(stack: ExitStack, args: argparse.Namespace) -> tuple[Bench, Load]:
    """Cluster, database, SMTP server, processes and load, each entered on ``stack`` so they
    are left in reverse order whatever happens."""
    scratch = Path(tempfile.mkdtemp(prefix="gia-faults-"))
    stack.callback(shutil.rmtree, scratch, ignore_errors=True)
    say("forming a cluster of three RabbitMQ nodes ...")
    cluster = stack.enter_context(three_node_cluster(scratch / "rabbitmq"))
    say(f"cluster running: {', '.join(sorted(cluster.running_nodes()))}")
    database_url = stack.enter_context(own_database())
    smtp = SmtpServer(MailBox())
    smtp.start()
    stack.callback(smtp.stop)
    env = bench_env(scratch, cluster, database_url, smtp)
    settings = load_settings(env)
    stack.callback(remove_quietly, settings)
    supervisor = start_processes(settings, env, args.logs or scratch / "logs")
    stack.callback(supervisor.stop)
    replicated_queues(cluster, settings)
    ledger = Ledger(settings, database_url)
    stack.callback(ledger.close)
    load = start_load(settings, smtp.box)
    stack.callback(load.halt)
    bench = Bench(
        env=env,
        settings=settings,
        cluster=cluster,
        supervisor=supervisor,
        smtp=smtp,
        ledger=ledger,
        database=make_url(database_url).database or "",
        queue=topology(settings).queues["indicators"].name,
        hold=args.hold,
    )
    return bench, load


def judge(bench: Bench, load: Load, rows: list[Row], recovery: float) -> list[str]:
    problems = row_problems(rows, recovery) + mail_problems(bench)
    problems += acknowledged_problems(bench, load)
    restarts = ", ".join(f"{name} {n}" for name, n in sorted(bench.supervisor.restarts.items()))
    say(f"processes the bench started again: {restarts or 'none'}")
    problems += verify_command(bench.env)
    if problems:
        for name in ("relay registration", "consumer indicators"):
            print(f"--- {name} log ---\n{bench.supervisor.log_tail(name)}", file=sys.stderr)
    return problems


def report(rows: list[Row], problems: list[str]) -> None:
    print()
    print(table(rows))
    print()
    slow = [row.fault for row in rows[:-1] if row.seconds is not None and row.seconds > AIM_SECONDS]
    print(f"aim: right again within {AIM_SECONDS:.0f} s of each fault's end: ", end="")
    print(f"missed after {', '.join(slow)}" if slow else "met")
    print("check: " + ("OK" if not problems else "WRONG: " + "; ".join(problems)))


def run(args: argparse.Namespace) -> list[str]:
    with ExitStack() as stack:
        bench, load = start(stack, args)
        rows = run_faults(bench, load, args)
        rows.append(finish(bench, load, args.recovery))
        problems = judge(bench, load, rows, args.recovery)
        say("stopping and removing everything ...")
    report(rows, problems)
    return problems


def interrupted(*_: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hold", type=float, default=8.0, help="seconds a node or SMTP is down")
    parser.add_argument("--steady", type=float, default=5.0, help="seconds of load between faults")
    parser.add_argument(
        "--recovery", type=float, default=60.0, help="seconds to wait for the figures to be right"
    )
    parser.add_argument(
        "--logs", type=Path, help="keep each process's log here (default: removed at the end)"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    try:
        problems = run(args)
    except KeyboardInterrupt:
        say("interrupted; everything started was stopped and removed")
        sys.exit(130)
    print(f"run time {time.monotonic() - started:.0f} s")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
