"""``gia run`` for the benches that measure the whole system from outside, and a browser.

One place for what such a bench needs around its measurement: the system seeded as
``make run`` seeds it, with one staff account, started in a var directory of its own on the
local PostgreSQL (schemas), RabbitMQ (queues and exchanges) and Redis (keys) under one
random prefix, with every limit as deployed; and all of it stopped and removed afterwards,
also after Ctrl-C or an error.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sqlalchemy import column, func, select, table

from bench.registration_rush import BROKER_URL, DATABASE_URL, HOST, free_port, wait_until_ready
from gia.registry import MANIFESTS, SERVICES
from gia.supervisor import STOP_GRACE_SECONDS
from shared.db import Database
from shared.mail_queue import MAX_ATTEMPTS, MailQueueMixin
from shared.settings import Settings, load_settings
from tests.isolation import isolated_env, remove

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("GIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# What a run takes from the tests' isolation: the places and names of its data.
ISOLATION = (
    "GIA_VAR_DIR",
    "GIA_SECRET_KEY",
    "GIA_DATABASE_URL",
    "GIA_DATABASE_SCHEMA_PREFIX",
    "GIA_BROKER_URL",
    "GIA_TOPOLOGY_PREFIX",
    "GIA_REDIS_URL",
    "GIA_REDIS_PREFIX",
)


# -- a browser -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes


class _Unfollowed(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers: a login's 302 is what tells it succeeded."""

    def redirect_request(self, *_: Any) -> None:
        return None


class Browser:
    """One visitor with cookies of their own (the session and CSRF cookie)."""

    def __init__(self) -> None:
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies, _Unfollowed())

    def send(
        self, method: str, url: str, body: bytes | None = None, content_type: str = ""
    ) -> Answer:
        headers = {"Content-Type": content_type} if content_type else {}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def post_json(self, url: str, data: Any) -> Answer:
        return self.send("POST", url, json.dumps(data).encode(), "application/json")

    def get_json(self, url: str) -> Any:
        answer = self.send("GET", url)
        if answer.status != 200:
            raise SystemExit(f"GET {url}: {answer.status} {answer.body[:300]!r}")
        return json.loads(answer.body)

    def log_in(self, base: str, email: str, password: str) -> Answer:
        """Posts the login form as a person would: with the CSRF token of the page."""
        token = Page.read(self.send("GET", f"{base}/login")).fields.get("csrf_token", "")
        return self.post_login(base, token, email, password)

    def post_login(self, base: str, token: str, email: str, password: str) -> Answer:
        form = {"csrf_token": token, "email": email, "password": password}
        body = urllib.parse.urlencode(form).encode()
        return self.send("POST", f"{base}/login", body, "application/x-www-form-urlencoded")


class Page(HTMLParser):
    """What a page offers: its links, the files it loads and its form fields."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.files: list[str] = []
        self.fields: dict[str, str] = {}

    @classmethod
    def read(cls, answer: Answer) -> Page:
        page = cls()
        if "html" in answer.headers.get("Content-Type", ""):
            page.feed(answer.body.decode(errors="replace"))
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag in ("link", "script", "img") and (values.get("href") or values.get("src")):
            self.files.append(values.get("href") or values.get("src") or "")
        elif tag == "input" and values.get("name"):
            self.fields[values["name"] or ""] = values.get("value") or ""


def logged_in(answer: Answer) -> bool:
    """A login that worked sends the person on; a refused one shows the form again."""
    return answer.status in (301, 302, 303) and "/login" not in answer.headers.get("Location", "")


# -- the system -----------------------------------------------------------------------------


@dataclass(frozen=True)
class System:
    """The running system as a bench sees it: its settings, where each service answers, the
    staff account it was seeded with, and the log its processes write to."""

    settings: Settings
    urls: dict[str, str]
    email: str
    password: str
    log: Path


def unsent_mail(settings: Settings) -> int:
    """Rows every mail worker still has to send (or retry)."""
    queue = table(MailQueueMixin.__tablename__, column("sent_at"), column("attempts"))
    waiting = select(func.count()).select_from(queue)
    waiting = waiting.where(queue.c.sent_at.is_(None), queue.c.attempts < MAX_ATTEMPTS)
    total = 0
    for name in (found.name for found in MANIFESTS if found.mail):
        db = Database.for_service(settings, name)
        try:
            with db.transaction() as session:
                total += session.scalar(waiting) or 0
        finally:
            db.dispose()
    return total


def gia(env: Mapping[str, str], *args: str) -> None:
    """A ``gia`` command before the system runs; its output only when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "gia", *args], env=dict(env), cwd=ROOT, capture_output=True
    )
    if done.returncode:
        raise SystemExit(f"gia {args[0]} failed:\n{done.stdout.decode()}{done.stderr.decode()}")


def start_system(
    env: Mapping[str, str], log: Path, email: str, password: str
) -> subprocess.Popen[bytes]:
    """Seeded as ``make run`` seeds it, with a staff account, then ``gia run``.

    In a session of its own, so Ctrl-C reaches only the bench, which then stops
    ``gia run`` as its operator would (the supervisor stops its processes in order).
    """
    gia(env, "seed")
    gia(env, "staff", "add", email, "--role", "staff", "--password", password)
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gia", "run"],
            env=dict(env),
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_system(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, and time for the supervisor's own grace to its processes."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(STOP_GRACE_SECONDS + 15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def system_env(scratch: Path, prefix: str) -> dict[str, str]:
    """Only where this run keeps its data, and free ports for each service and its metrics;
    every limit as deployed (the tests' isolation loosens some so tests can repeat a form)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIA_")}
    isolated = isolated_env(DATABASE_URL, BROKER_URL, scratch / "var", prefix, REDIS_URL)
    env.update({key: isolated[key] for key in ISOLATION})
    env.update(
        {
            f"GIA_{service.upper()}_{port}": str(free_port())
            for service in SERVICES
            for port in ("PORT", "METRICS_PORT")
        }
    )
    env["GIA_LOG_LEVEL"] = "WARNING"
    return env


@contextmanager
def running_system(bench: str) -> Iterator[System]:
    """``gia run`` ready on every service for the ``with`` block; when the block fails, the
    tail of its log on stderr. ``bench`` names the scratch directory and prefixes the data."""
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix=f"gia-{bench}-"))
    env = system_env(scratch, bench[0])
    settings = load_settings(env)
    urls = {found.name: f"http://{HOST}:{found.port_in(settings)}" for found in MANIFESTS}
    email, password = f"medewerker-{uuid.uuid4().hex[:6]}@minbzk.nl", "het-juiste-wachtwoord"
    log = scratch / "gia-run.log"
    process: subprocess.Popen[bytes] | None = None
    try:
        print("starting gia run ...", flush=True)
        process = start_system(env, log, email, password)
        for url in urls.values():
            wait_until_ready(process, url)
        print(f"ready after {time.monotonic() - started:.0f} s", flush=True)
        yield System(settings, urls, email, password, log)
    except (Exception, SystemExit):
        if log.exists():
            print(log.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        if process is not None:
            stop_system(process)
        remove(settings)
        shutil.rmtree(scratch, ignore_errors=True)
