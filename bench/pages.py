"""How fast the main pages answer while 20 people use the system at once.

Starts ``gia run`` as ``bench/abuse.py`` does (``bench/system.py``: the examples seeded,
every service under gunicorn on the local PostgreSQL, every limit as deployed) and gives
it the data of a busy season, so the lists are not empty: a few hundred registrations over
the example meetings, the busiest one full with a waiting list and part of it checked in,
and praktijkteam requests from the target group. They go in through the services' own use
cases, as the forms would put them, because the deployed mail limits rightly refuse that
many registrations from one address. Once their mails are sent, half the users log in as
staff (successful logins do not count against the login limits) and the others stay
anonymous; each walks its pages in a shuffled order, one after another, for a fixed time
after a warm-up. It prints per page the count, errors and p50/p90/p99, the same over the
public pages, the staff pages and all, against the aim: p99 under 300 ms.

A measurement, not a test: it exits 0 whatever it finds.

Usage: python bench/pages.py [--users 20] [--staff 10] [--seconds 30] [--warmup 5]
       [--think SECONDS] [--registrations 400] [--requests 40]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

# Run as a script from anywhere: the project root holds the packages and the test factories.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.registration_rush import code_version, logged_errors, machine_ticks, percentile
from bench.system import Browser, System, logged_in, running_system
from services.practiceteam import models as practiceteam_models
from services.practiceteam.moves import submit
from services.registration import models as registration_models
from services.registration.door import check_in
from services.registration.registrations import register
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.mail_queue import MailQueueMixin
from shared.municipalities import load_register
from shared.settings import Settings
from tests.factories import PRACTICETEAM_REQUEST

AIM_P99_MS = 300.0
EVENT_WAIT_SECONDS = 30.0
# The busiest meeting gets this share of the registrations, more than its seats.
BUSIEST_SHARE = 0.35
CHECKED_IN_SHARE = 0.6
FIRST_NAMES = ("Anne", "Bram", "Fatima", "Mehmet", "Sanne", "Joost", "Yasmina", "Pieter")
LAST_NAMES = ("de Vries", "Jansen", "El Amrani", "Bakker", "Yilmaz", "Visser", "Smit")
ROLES = ("official", "official", "council_member", "alderman")


# -- the data of a busy season -----------------------------------------------------------------


@dataclass(frozen=True)
class Season:
    """What the pages name: every meeting, and the busiest one with its lists."""

    meetings: list[str]
    busiest: str
    checked_in: int


def person(number: int, codes: list[str], kind: str) -> dict[str, str]:
    """A registration as the form loads it; Raad voor Raad meetings admit council members."""
    first, last = FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[number % len(LAST_NAMES)]
    return {
        "name": f"{first} {last}",
        "email": f"deelnemer{number}@example.nl",
        "role": "council_member" if kind == "raad_voor_raad" else ROLES[number % len(ROLES)],
        "municipality_code": codes[number % len(codes)],
    }


def sent_long_ago(session: Session, mail_queue: type[MailQueueMixin], now: datetime) -> None:
    """The season's mails went out as it went by: no backlog for the mail workers to send
    while the pages are measured."""
    session.execute(update(mail_queue).where(mail_queue.sent_at.is_(None)).values(sent_at=now))


def add_registrations(settings: Settings, codes: list[str], total: int) -> Season:
    """A share of ``total`` on the first meeting, the rest spread over the others, one
    transaction per meeting; part of the first meeting's confirmed people checked in."""
    db = Database.for_service(settings, "registration")
    recorder = EventRecorder(registration_models.Outbox, settings.event_source("registration"))
    meeting = registration_models.Meeting
    now = datetime.now(UTC)
    try:
        with db.transaction() as session:
            meetings = session.execute(
                select(meeting.id, meeting.kind).order_by(meeting.starts_at)
            ).all()
        on_busiest = int(total * BUSIEST_SHARE)
        numbers = [range(on_busiest)] + [
            range(on_busiest + index, total, len(meetings) - 1)
            for index in range(len(meetings) - 1)
        ]
        checked_in = 0
        for chosen, of_meeting in zip(meetings, numbers, strict=True):
            with db.transaction() as session:
                added = [
                    register(session, recorder, chosen.id, person(n, codes, chosen.kind), now=now)
                    for n in of_meeting
                ]
                if chosen is meetings[0]:
                    confirmed = [found for found in added if found.status == "confirmed"]
                    arrived = confirmed[: int(len(confirmed) * CHECKED_IN_SHARE)]
                    for found in arrived:
                        check_in(session, recorder, found.id, now)
                    checked_in = len(arrived)
                sent_long_ago(session, registration_models.MailQueue, now)
    finally:
        db.dispose()
    return Season([found.id for found in meetings], meetings[0].id, checked_in)


def add_requests(settings: Settings, codes: list[str], total: int) -> None:
    """Praktijkteam requests in one transaction, every other one from two municipalities."""
    db = Database.for_service(settings, "practiceteam")
    recorder = EventRecorder(practiceteam_models.Outbox, settings.event_source("practiceteam"))
    municipalities = load_register(settings.municipalities_file)
    try:
        with db.transaction() as session:
            for number in range(total):
                chosen = [codes[number % len(codes)], codes[(number + 1) % len(codes)]]
                chosen = chosen[: 1 + number % 2]
                contact = PRACTICETEAM_REQUEST["contact"] | {
                    "email": f"aanvrager{number}@example.nl"
                }
                data = PRACTICETEAM_REQUEST | {
                    "municipality_codes": chosen,
                    "lead_municipality_code": chosen[0],
                    "contact": contact,
                }
                submit(session, recorder, municipalities, data)
            sent_long_ago(session, practiceteam_models.MailQueue, datetime.now(UTC))
    finally:
        db.dispose()


def unpublished(settings: Settings) -> int:
    """Events of the season the relays have yet to put on the broker."""
    total = 0
    for name, outbox in (
        ("registration", registration_models.Outbox),
        ("practiceteam", practiceteam_models.Outbox),
    ):
        db = Database.for_service(settings, name)
        try:
            with db.transaction() as session:
                query = select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None))
                total += session.scalar(query) or 0
        finally:
            db.dispose()
    return total


def add_season(settings: Settings, registrations: int, requests: int) -> Season:
    """The data, then a wait until the relays have published its events, so the indicators
    count them while the users warm up rather than while they are measured."""
    codes = [found.code for found in load_register(settings.municipalities_file).target_group]
    season = add_registrations(settings, codes, registrations)
    add_requests(settings, codes, requests)
    deadline = time.monotonic() + EVENT_WAIT_SECONDS
    while (waiting := unpublished(settings)) and time.monotonic() < deadline:
        time.sleep(0.5)
    if waiting:
        print(f"{waiting} event(s) still unpublished after {EVENT_WAIT_SECONDS:.0f} s", flush=True)
    return season


# -- the pages and the people walking them -------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One page as the table shows it; a visit picks one of its paths."""

    staff: bool
    name: str
    base: str
    paths: tuple[str, ...]


def targets(urls: dict[str, str], season: Season) -> list[Target]:
    """The public pages, then the staff ones. The indicators have no public page: the public
    figures are ``GET /api/v1/indicators``. A meeting's page holds its registration form."""
    meetings = tuple(f"/bijeenkomsten/{meeting}" for meeting in season.meetings)
    busiest = f"/beheer/bijeenkomsten/{season.busiest}"
    registration, practiceteam = urls["registration"], urls["practiceteam"]
    indicators = urls["indicators"]
    return [
        Target(False, "registration: meetings /", registration, ("/",)),
        Target(False, "registration: a meeting and its form", registration, meetings),
        Target(False, "praktijkteam: request form /", practiceteam, ("/",)),
        Target(False, "essay contest: the contest /", urls["essay_contest"], ("/",)),
        Target(False, "guide: the guides /", urls["guide"], ("/",)),
        Target(False, "indicators: public figures (API)", indicators, ("/api/v1/indicators",)),
        Target(True, "registration: /beheer meetings", registration, ("/beheer",)),
        Target(True, "registration: door of the busiest", registration, (f"{busiest}/deur",)),
        Target(
            True, "registration: its registrations", registration, (f"{busiest}/inschrijvingen",)
        ),
        Target(True, "registration: its attendance", registration, (f"{busiest}/aanwezigheid",)),
        Target(True, "praktijkteam: /beheer queue", practiceteam, ("/beheer",)),
        Target(True, "indicators: dashboard /", indicators, ("/",)),
        Target(True, "indicators: report /rapport", indicators, ("/rapport",)),
    ]


@dataclass(frozen=True)
class Visit:
    target: Target
    status: int | str
    seconds: float
    size: int


class User(threading.Thread):
    """One person with a browser of their own, visiting their pages in a shuffled order, one
    after another, until ``ends``; only visits that start after ``counts_from`` count."""

    def __init__(
        self,
        browser: Browser,
        pages: list[Target],
        counts_from: float,
        ends: float,
        think: float,
        seed: int,
    ) -> None:
        super().__init__(daemon=True)
        self.browser = browser
        self.pages = pages
        self.counts_from = counts_from
        self.ends = ends
        self.think = think
        self.chance = random.Random(seed)
        self.visits: list[Visit] = []

    def run(self) -> None:
        while True:
            for target in self.chance.sample(self.pages, len(self.pages)):
                started = time.perf_counter()
                if started >= self.ends:
                    return
                status, size = self.visit(f"{target.base}{self.chance.choice(target.paths)}")
                if started >= self.counts_from:
                    seconds = time.perf_counter() - started
                    self.visits.append(Visit(target, status, seconds, size))
                time.sleep(self.think)

    def visit(self, url: str) -> tuple[int | str, int]:
        """The status (or the error's name) and the size of the body."""
        try:
            answer = self.browser.send("GET", url)
        except (OSError, http.client.HTTPException) as error:
            return type(error).__name__, 0
        return answer.status, len(answer.body)


def staff_browser(system: System) -> Browser:
    """Logged in on registration's page; the session cookie serves every service (cookies
    are per host, not per port)."""
    browser = Browser()
    answer = browser.log_in(system.urls["registration"], system.email, system.password)
    if not logged_in(answer):
        raise SystemExit(f"the staff login failed: {answer.status} {answer.body[:300]!r}")
    return browser


@dataclass(frozen=True)
class Walk:
    pages: list[Target]
    visits: list[Visit]
    seconds: float
    busy: float  # share of all CPUs the machine was busy
    load: float  # the machine's load average over the last minute, at the end
    logged: list[str]  # the errors the services logged


def walk(system: System, season: Season, args: argparse.Namespace) -> Walk:
    pages = targets(system.urls, season)
    browsers = [
        staff_browser(system) if number < args.staff else Browser() for number in range(args.users)
    ]
    counts_from = time.perf_counter() + args.warmup
    ends = counts_from + args.seconds
    users = [
        User(
            browser,
            [page for page in pages if page.staff == (number < args.staff)],
            counts_from,
            ends,
            args.think,
            number,
        )
        for number, browser in enumerate(browsers)
    ]
    for user in users:
        user.start()
    time.sleep(max(counts_from - time.perf_counter(), 0.0))
    busy_before, total_before = machine_ticks()
    for user in users:
        user.join()
    busy_after, total_after = machine_ticks()
    busy = (busy_after - busy_before) / max(total_after - total_before, 1)
    return Walk(
        pages,
        [visit for user in users for visit in user.visits],
        args.seconds,
        busy,
        os.getloadavg()[0],
        logged_errors(system.log.read_text(errors="replace")),
    )


# -- the figures --------------------------------------------------------------------------------


def row(name: str, visits: list[Visit]) -> tuple[str, float]:
    """The table's line for these visits, and their p99 in ms."""
    if not visits:
        return f"{name:<36} {0:>6}", 0.0
    latencies = sorted(visit.seconds * 1000 for visit in visits)
    errors = sum(1 for visit in visits if visit.status != 200)
    p50, p90, p99 = (percentile(latencies, share) for share in (0.5, 0.9, 0.99))
    size = sum(visit.size for visit in visits) / len(visits) / 1000
    mark = "" if p99 < AIM_P99_MS else "  over"
    return (
        f"{name:<36} {len(visits):>6} {errors:>6} {p50:>8.1f} {p90:>8.1f} {p99:>8.1f} "
        f"{size:>7.0f}{mark}",
        p99,
    )


def report(args: argparse.Namespace, season: Season, outcome: Walk) -> None:
    visits = outcome.visits
    print()
    print(
        f"pages: {args.users} users ({args.staff} staff) for {args.seconds:.0f} s after "
        f"{args.warmup:.0f} s warm-up, think {args.think:g} s; gunicorn "
        f"{os.environ.get('GIA_WEB_WORKERS', '2')} sync workers per service, "
        f"{os.cpu_count()} CPUs, code {code_version()}"
    )
    print(
        f"data: {args.registrations} registrations over {len(season.meetings)} meetings "
        f"({season.checked_in} checked in at the busiest), {args.requests} praktijkteam requests"
    )
    print(
        f"{'':7}{'page':<36} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
        f"{'kB':>7}"
    )
    over = []
    for target in outcome.pages:
        line, p99 = row(target.name, [visit for visit in visits if visit.target == target])
        print(f"{'staff ' if target.staff else 'public'} {line}")
        if p99 >= AIM_P99_MS:
            over.append(target.name)
    print()
    for name, staff in (("all public pages", False), ("all staff pages", True)):
        print(f"{'':7}{row(name, [visit for visit in visits if visit.target.staff == staff])[0]}")
    line, p99 = row("all pages", visits)
    print(f"{'':7}{line}")
    print(
        f"throughput {len(visits) / outcome.seconds:.0f} pages/s; machine busy "
        f"{outcome.busy:.0%} of all CPUs, load average {outcome.load:.1f} at the end"
    )
    if not args.think:
        # Each user asks again as soon as answered, so by Little's law the mean latency is
        # users / throughput: the latencies follow from how fast the system serves.
        mean = args.users / len(visits) * outcome.seconds * 1000
        print(f"{args.users} users back to back: {mean:.0f} ms per page on average")
    statuses = Counter(str(visit.status) for visit in visits if visit.status != 200)
    if statuses:
        print("errors: " + ", ".join(f"{status}: {n}" for status, n in statuses.most_common()))
    for message, n in Counter(outcome.logged).most_common(3):
        print(f"logged {n}x: {message[:300]}")
    verdict = "holds" if p99 < AIM_P99_MS else "does not hold"
    print(f"aim p99 < {AIM_P99_MS:.0f} ms over all pages: {verdict} ({p99:.0f} ms)", end="")
    print(f"; pages over it: {', '.join(over)}" if over else "; every page under it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="people at once")
    parser.add_argument("--staff", type=int, default=None, help="of them staff (default: half)")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=5.0, help="time walked first, uncounted")
    parser.add_argument("--think", type=float, default=0.0, help="pause between a user's pages")
    parser.add_argument("--registrations", type=int, default=400, help="over the meetings")
    parser.add_argument("--requests", type=int, default=40, help="praktijkteam requests")
    args = parser.parse_args()
    args.staff = args.users // 2 if args.staff is None else args.staff
    if not 0 <= args.staff <= args.users or args.users < 1 or args.seconds <= 0:
        parser.error("--users and --seconds must be positive, --staff between 0 and --users")
    with running_system("pages") as system:
        print("adding registrations and requests ...", flush=True)
        began = time.monotonic()
        season = add_season(system.settings, args.registrations, args.requests)
        print(f"added, events published, in {time.monotonic() - began:.0f} s", flush=True)
        print(f"walking for {args.warmup + args.seconds:.0f} s ...", flush=True)
        outcome = walk(system, season, args)
    report(args, season, outcome)


if __name__ == "__main__":
    main()
