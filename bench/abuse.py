"""How the running system holds against abuse: four attacks on ``gia run``, four figures.

Starts the whole system as ``make run`` does (examples seeded, every service under
gunicorn with its relays, consumers and mail workers) in a var directory of its own, on
the local PostgreSQL (schemas), RabbitMQ (queues and exchanges) and Redis (keys) under
one random prefix, then attacks it from outside:

1. wrong passwords posted to one service's login page: how many are answered as an
   ordinary failed login before the first refusal (429), and whether the right password
   gets in during the lockout;
2. 100 anonymous posts in 10 s to the public forms that mail, all naming one outside
   address: how many mails actually went to it once the mail workers are done;
3. correctly shaped events the services would never publish (a wrong source, a
   municipality not in the register, a routing key other than the type) put on the
   broker beside one genuine event: how many the indicators stored as evidence;
4. every page and API operation one can find from outside, anonymous and logged in:
   how many responses lack a security header.

A measurement, not a test: it exits 0 whatever it finds, and 1 only when the system
could not be started. Everything it started and created is stopped and removed, also
after Ctrl-C or an error.

Usage: python bench/abuse.py
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

# Run as a script from anywhere: the project root holds the packages and the test factories,
# and the processes started run its code too.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.registration_rush import code_version
from bench.system import Answer, Browser, Page, logged_in, running_system, unsent_mail
from gia.registry import topology
from services.indicators.models import Evidence
from shared.db import Database
from shared.events.catalogue import ATTENDED, REGISTERED, SURVEY_ANSWERED
from shared.events.envelope import Event, new_event
from shared.events.publisher import ConfirmedPublisher, NotConfirmed, Outgoing
from shared.events.topology import broker_connection
from shared.mail import sent_messages
from shared.municipalities import load_register
from shared.settings import Settings
from tests.factories import PERSON, PRACTICETEAM_REQUEST, attendance_data

LOGIN_ATTEMPTS = 30
AIM_GUESSES = 10
PUBLIC_POSTS = 100
POST_SECONDS = 10.0
AIM_MAILS = 5
MAIL_WAIT_SECONDS = 20.0
EVENT_WAIT_SECONDS = 30.0
# Pages followed per service when logged in; the staff pages link to every record.
CRAWL_LIMIT = 30
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Figure:
    name: str
    measured: int | None  # None: the attack could not tell
    aim: int
    detail: str

    @property
    def holds(self) -> bool:
        return self.measured is not None and self.measured <= self.aim


# -- 1. guessing passwords ---------------------------------------------------------------


def guess_passwords(base: str, email: str, password: str) -> Figure:
    """Wrong passwords from one browser with one CSRF token, as a script would send them."""
    browser = Browser()
    token = Page.read(browser.send("GET", f"{base}/login")).fields.get("csrf_token", "")
    statuses: list[int] = []
    while len(statuses) < LOGIN_ATTEMPTS and 429 not in statuses:
        statuses.append(browser.post_login(base, token, email, f"wrong-{len(statuses)}").status)
    failed = sum(1 for status in statuses if status == 401)
    right = browser.post_login(base, token, email, password)
    outcome = "logged in" if logged_in(right) else f"not logged in ({right.status})"
    if 429 in statuses:
        detail = f"refused (429) at attempt {len(statuses)}; the right password then: {outcome}"
    else:
        seen = ", ".join(f"{status}: {n}" for status, n in sorted(Counter(statuses).items()))
        detail = f"no refusal in {len(statuses)} attempts ({seen}); the right password: {outcome}"
    return Figure("wrong passwords answered before a refusal", failed, AIM_GUESSES, detail)


# -- 2. mail to someone else ----------------------------------------------------------------


def mail_forms(browser: Browser, urls: Mapping[str, str]) -> dict[str, list[str]]:
    """The public forms that mail whoever they name, per kind, from the public API."""
    registration, contests = urls["registration"], urls["essay_contest"]
    meetings = browser.get_json(f"{registration}/api/v1/meetings")
    return {
        "praktijkteam request": [f"{urls['practiceteam']}/api/v1/requests"],
        "meeting registration": [
            f"{registration}/api/v1/meetings/{meeting['id']}/registrations" for meeting in meetings
        ],
        "essay contest sign-up": [
            f"{contests}/api/v1/contests/{contest['id']}/entrants"
            for contest in browser.get_json(f"{contests}/api/v1/contests")
        ],
    }


def mail_body(kind: str, victim: str) -> dict[str, Any]:
    if kind == "praktijkteam request":
        return {
            **PRACTICETEAM_REQUEST,
            "contact": {**PRACTICETEAM_REQUEST["contact"], "email": victim},
        }
    if kind == "essay contest sign-up":
        return {"name": PERSON["name"], "email": victim, "municipality_code": "GM0599"}
    # Council members may come to every kind of meeting.
    return {**PERSON, "email": victim, "role": "council_member"}


def mails_to(settings: Settings, address: str) -> int:
    parser = BytesHeaderParser(policy=policy.default)
    return sum(
        1
        for path in sent_messages(settings.effective_mail_dir)
        if address in str(parser.parsebytes(path.read_bytes())["To"]).lower()
    )


def flood_mail_forms(settings: Settings, urls: Mapping[str, str]) -> Figure:
    """PUBLIC_POSTS posts over POST_SECONDS, the kinds of form in turn; then the mails counted."""
    victim = f"doelwit-{uuid.uuid4().hex[:8]}@example.org"
    browser = Browser()
    forms = {kind: found for kind, found in mail_forms(browser, urls).items() if found}
    kinds = list(forms)
    statuses: dict[str, Counter[int]] = {kind: Counter() for kind in kinds}
    started = time.monotonic()
    for number in range(PUBLIC_POSTS):
        time.sleep(max(0.0, started + number * POST_SECONDS / PUBLIC_POSTS - time.monotonic()))
        kind = kinds[number % len(kinds)]
        targets = forms[kind]
        url = targets[number // len(kinds) % len(targets)]
        statuses[kind][browser.post_json(url, mail_body(kind, victim)).status] += 1
    posting = time.monotonic() - started
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while (waiting := unsent_mail(settings)) and time.monotonic() < deadline:
        time.sleep(0.5)
    sent = mails_to(settings, victim)
    answered = "; ".join(
        f"{kind} (to {len(forms[kind])}): "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses[kind].items()))
        for kind in kinds
    )
    detail = f"{PUBLIC_POSTS} posts from one client in {posting:.1f} s ({answered})"
    if waiting:
        detail += f"; {waiting} mail(s) still queued after {MAIL_WAIT_SECONDS:.0f} s"
    return Figure(f"mails to one address for {PUBLIC_POSTS} public posts", sent, AIM_MAILS, detail)


# -- 3. forged events ------------------------------------------------------------------------


def attendance(settings: Settings, code: str, source: str = "") -> Event:
    data = attendance_data(municipality_code=code)
    return new_event(
        ATTENDED,
        source=source or settings.event_source("registration"),
        subject=f"registration/{data['registration_id']}",
        data=data,
    )


def survey_answer(code: str, source: str) -> Event:
    """An answer that gives awareness and use: both figures move if it counts."""
    answer = {"answer_id": str(uuid.uuid4()), "municipality_code": code, "uses": ["policy"]}
    answer |= {"knows_guide": True, "read_guide": True}
    return new_event(SURVEY_ANSWERED, source=source, subject=code, data=answer)


def publish(settings: Settings, messages: list[tuple[Event, str]]) -> dict[str, str]:
    """Each event under its routing key, one by one; what the broker refused, with why."""
    refused = {}
    declared = topology(settings)
    with broker_connection(settings) as connection:
        declared.declare(connection)
        failures = (*connection.connection_errors, *connection.channel_errors, NotConfirmed)
        for event, key in messages:
            try:
                ConfirmedPublisher(connection, declared.events).publish(
                    [Outgoing(event.to_json(), routing_key=key, message_id=event.id)]
                )
            except failures as error:
                refused[event.id] = type(error).__name__
                connection.close()  # a refusal may close the channel: start afresh
                connection.connect()
    return refused


def evidence_from(indicators: Database, event_ids: Iterable[str]) -> set[str]:
    """The events any piece of evidence rests on (given or withdrawn by)."""
    ids = list(event_ids)
    with indicators.transaction() as session:
        rows = session.execute(
            select(Evidence.given_by, Evidence.withdrawn_by).where(
                or_(Evidence.given_by.in_(ids), Evidence.withdrawn_by.in_(ids))
            )
        ).all()
    return {event_id for row in rows for event_id in row if event_id in ids}


def figures(browser: Browser, indicators_url: str) -> dict[str, int]:
    found = browser.get_json(f"{indicators_url}/api/v1/indicators")["indicators"]
    return {item["indicator"]: item["numerator"] for item in found}


def forge_events(settings: Settings, urls: Mapping[str, str]) -> Figure:
    """Forgeries first, then the genuine event on the same connection: the queue keeps that
    order, so once the genuine one counts the consumer has judged every forgery."""
    codes = [
        municipality.code
        for municipality in load_register(settings.municipalities_file).target_group
    ][:4]
    forgeries = {
        "survey answer from urn:probe": (survey_answer(codes[0], "urn:probe"), SURVEY_ANSWERED),
        "attendance from praktijkteam's source": (
            attendance(settings, codes[1], settings.event_source("practiceteam")),
            ATTENDED,
        ),
        "attendance of GM9999": (attendance(settings, "GM9999"), ATTENDED),
        "attendance under the key of a registration": (attendance(settings, codes[2]), REGISTERED),
    }
    genuine = attendance(settings, codes[3])
    browser = Browser()
    before = figures(browser, urls["indicators"])
    refused = publish(settings, [*forgeries.values(), (genuine, ATTENDED)])
    indicators = Database.for_service(settings, "indicators")
    ids = [event.id for event, _ in forgeries.values()]
    deadline = time.monotonic() + EVENT_WAIT_SECONDS
    try:
        while not (seen := evidence_from(indicators, [*ids, genuine.id])) >= {genuine.id}:
            if time.monotonic() > deadline or genuine.id in refused:
                break
            time.sleep(0.2)
    finally:
        indicators.dispose()
    moved = figures(browser, urls["indicators"])
    change = ", ".join(f"{name} {moved[name] - count:+d}" for name, count in before.items())
    counted = [name for name, (event, _) in forgeries.items() if event.id in seen]
    detail = f"counted: {', '.join(counted) or 'none'}; figures {change}"
    if refused:
        detail += f"; refused by the broker: {len(refused)}"
    if genuine.id not in seen:
        detail = f"the genuine event did not count within {EVENT_WAIT_SECONDS:.0f} s; " + detail
        return Figure(f"forged events counted (of {len(forgeries)})", None, 0, detail)
    return Figure(f"forged events counted (of {len(forgeries)})", len(counted), 0, detail)


# -- 4. security headers ----------------------------------------------------------------------


def header_faults(headers: Message) -> list[str]:
    """What the response lacks of the headers every response must carry."""
    faults = []
    policy_text = headers.get("Content-Security-Policy")
    directives = {
        name.lower(): values
        for name, *values in (
            part.split() for part in (policy_text or "").split(";") if part.strip()
        )
    }
    script = directives.get("script-src", directives.get("default-src"))
    if policy_text is None:
        faults.append("Content-Security-Policy")
    elif (
        directives.get("frame-ancestors") != ["'none'"] or not script or "'unsafe-inline'" in script
    ):
        faults.append("Content-Security-Policy (frame-ancestors, script-src)")
    if (headers.get("X-Frame-Options") or "").strip().upper() != "DENY":
        faults.append("X-Frame-Options")
    if (headers.get("X-Content-Type-Options") or "").strip().lower() != "nosniff":
        faults.append("X-Content-Type-Options")
    referrer = (headers.get("Referrer-Policy") or "").split(",")[-1].strip().lower()
    if referrer != "no-referrer":
        faults.append("Referrer-Policy")
    return faults


def operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Every operation of an OpenAPI document, its path parameters filled with values of the
    right kind that name nothing."""
    found = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            parameters = [*item.get("parameters", []), *item[method].get("parameters", [])]
            kinds = {p["name"]: p.get("schema", {}) for p in parameters if p.get("in") == "path"}
            filled = re.sub(r"{(\w+)}", lambda m, kinds=kinds: _filler(m[1], kinds), path)
            found.append((method.upper(), filled))
    return found


def _filler(name: str, kinds: Mapping[str, Mapping[str, Any]]) -> str:
    schema = kinds.get(name, {})
    if schema.get("type") == "integer":
        return "1"
    if schema.get("format") == "uuid" or name.endswith("_id"):
        return str(uuid.UUID(int=0))
    return "GM0363" if "code" in name else "onbekend"


def same_site(base: str, page_url: str, hrefs: Iterable[str]) -> list[str]:
    """Links to this service's own pages, without fragments."""
    origin = urllib.parse.urlsplit(base).netloc
    found = []
    for href in hrefs:
        url = urllib.parse.urldefrag(urllib.parse.urljoin(page_url, href)).url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "http" and parts.netloc == origin:
            found.append(url)
    return found


class HeaderCheck:
    """Requests one after another, each response checked; faults counted per header."""

    def __init__(self) -> None:
        self.checked = 0
        self.faulty = 0
        self.missing: Counter[str] = Counter()

    def request(self, browser: Browser, method: str, url: str, body: bytes | None = None) -> Answer:
        answer = browser.send(method, url, body, "application/json" if body else "")
        faults = header_faults(answer.headers)
        self.checked += 1
        self.faulty += bool(faults)
        self.missing.update(faults)
        return answer

    def crawl(self, browser: Browser, base: str, start: list[str], depth: int) -> int:
        """The pages at ``start`` and those they link to, ``depth`` links deep, and the first
        stylesheet or script one of them loads, as a static file; how many were requested."""
        seen: set[str] = set()
        files: list[str] = []
        level = [f"{base}{path}" for path in start]
        for _ in range(depth + 1):
            following = []
            for url in level:
                if url in seen or len(seen) >= CRAWL_LIMIT:
                    continue
                seen.add(url)
                page = Page.read(self.request(browser, "GET", url))
                following += same_site(base, url, page.links)
                files += same_site(base, url, page.files)
            level = following
        if files:
            self.request(browser, "GET", files[0])
        return len(seen) + bool(files)

    def api(self, browser: Browser, base: str) -> None:
        """Every operation of the service's OpenAPI document, anonymous; bodies are empty
        objects, so nothing is changed (refused as unauthenticated, invalid or unknown)."""
        document = json.loads(self.request(browser, "GET", f"{base}/api/v1/openapi.json").body)
        for method, path in operations(document):
            body = b"{}" if method in ("POST", "PUT", "PATCH") else None
            self.request(browser, method, f"{base}{path}", body)


def check_headers(urls: Mapping[str, str], email: str, password: str) -> Figure:
    check = HeaderCheck()
    staff = Browser()
    # One session cookie serves every service: cookies are per host, not per port.
    entered = logged_in(staff.log_in(urls["registration"], email, password))
    as_staff = 0
    for base in urls.values():
        anonymous = Browser()
        check.api(anonymous, base)
        check.crawl(anonymous, base, ["/", "/login"], depth=1)
        check.request(anonymous, "GET", f"{base}/bestaat-niet-{uuid.uuid4().hex[:6]}")
        if entered:
            # /beheer: where the README sends staff (the indicators' staff pages are at /).
            as_staff += check.crawl(staff, base, ["/", "/beheer"], depth=2)
    lacking = ", ".join(f"{name} {n}" for name, n in check.missing.most_common()) or "none"
    detail = f"{check.checked} responses checked ({as_staff} logged in); lacking: {lacking}"
    if not entered:
        detail += "; the staff login failed, so no staff pages were checked"
    return Figure("responses without the security headers", check.faulty, 0, detail)


def report(found: list[Figure], seconds: float) -> None:
    print()
    print(f"abuse of gia run, code {code_version()}, {seconds:.0f} s")
    width = max(len(figure.name) for figure in found)
    print(f"{'figure':<{width}}  measured  aim    holds")
    for figure in found:
        measured = "?" if figure.measured is None else str(figure.measured)
        verdict = "yes" if figure.holds else "no"
        print(f"{figure.name:<{width}}  {measured:>8}  <= {figure.aim:<3} {verdict}")
    print()
    for number, figure in enumerate(found, 1):
        print(f"{number}. {figure.detail}")


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    started = time.monotonic()
    found: dict[str, Figure] = {}
    with running_system("abuse") as system:
        settings, urls = system.settings, system.urls
        email, password = system.email, system.password
        # In this order: the header check posts to the mail forms too, which may count against
        # this client; it logs in before the password attack locks the account.
        attacks: dict[str, Callable[[], Figure]] = {
            "mail to one address": lambda: flood_mail_forms(settings, urls),
            "forged events": lambda: forge_events(settings, urls),
            "security headers": lambda: check_headers(urls, email, password),
            "password guessing": lambda: guess_passwords(urls["registration"], email, password),
        }
        for name, attack in attacks.items():
            began = time.monotonic()
            found[name] = attack()
            print(f"{name}: {time.monotonic() - began:.0f} s", flush=True)
    order = ("password guessing", "mail to one address", "forged events", "security headers")
    report([found[name] for name in order], time.monotonic() - started)


if __name__ == "__main__":
    main()
