"""What the journeys share: the running system, staff login, mail links, the audit every
page a journey lands on goes through (axe-core's WCAG 2.1 A and AA rules and, on a phone,
the page's width; where a journey listens, missing resources and console errors too) and a
bounded walk along the links of the staff pages."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from playwright.sync_api import Locator, Page, expect

from shared.mail import sent_messages
from shared.settings import Settings

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAIL_WAIT_SECONDS = 20.0


@dataclass(frozen=True)
class System:
    """``gia run`` as the journeys reach it: where each service answers, its mail folder and
    the staff account it was seeded with."""

    urls: dict[str, str]
    settings: Settings
    staff_email: str
    staff_password: str
    token: str

    def api(self, service: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A staff call to the JSON API, for what a journey needs before it starts: a GET
        without ``body``, a POST with it."""
        request = urllib.request.Request(
            f"{self.urls[service]}/api/v1{path}",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)

    def mail_to(self, address: str, subject_has: str = "") -> EmailMessage:
        """The newest mail the mail workers sent to ``address``, waiting for it to go out."""
        deadline = time.monotonic() + MAIL_WAIT_SECONDS
        while True:
            for path in reversed(sent_messages(self.settings.effective_mail_dir)):
                mail = message_from_bytes(path.read_bytes(), policy=policy.default)
                if address in str(mail["To"]) and subject_has in str(mail["Subject"]):
                    assert isinstance(mail, EmailMessage)
                    return mail
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} ({subject_has!r}) went out")
            time.sleep(0.2)


def seeded_meeting(system: System, region: str) -> dict[str, Any]:
    """``gia seed``'s GIA meeting in ``region`` (Zeeland has only the one), for journeys
    that need a meeting's address before they start."""
    title = f"Voorbeeld: GIA-regiobijeenkomst {region}"
    meetings = system.api("registration", f"/meetings?region={region}")
    [meeting] = [found for found in meetings if found["title"] == title]
    return meeting


def link_in(mail: EmailMessage, path_has: str) -> str:
    """The first link in the mail's text whose address holds ``path_has``."""
    text = mail.get_body(("plain",))
    assert text is not None, f"mail {mail['Subject']!r} has no text part"
    links = re.findall(r"https?://\S+", text.get_content())
    found = [link for link in links if path_has in link]
    assert found, f"no link with {path_has!r} in mail {mail['Subject']!r}: {links}"
    return found[0]


def log_in(page: Page, base: str, system: System, audit: Audit) -> None:
    """Staff log in on the service's own login page, as they would."""
    page.goto(f"{base}/login")
    audit(page)
    page.get_by_label("E-mailadres").fill(system.staff_email)
    page.get_by_label("Wachtwoord").fill(system.staff_password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(f"Ingelogd als {system.staff_email}")).to_be_visible()
    audit(page)


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Presses Tab until ``target`` has the focus, as someone without a mouse moves on."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got the focus after {limit} Tabs")


class PageDefects(AssertionError):
    """Accessibility or width faults on pages a journey visited; a journey that fails for
    another reason raises something else, so a mark for these never hides it."""


@cache
def _axe_source() -> str:
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text()


def _axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations, one line per element.

    ``page.evaluate`` runs outside the page's content security policy, so axe loads on
    pages that refuse every inline script, without loosening the policy for the journey.
    """
    page.evaluate(_axe_source())
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)",
        WCAG_TAGS,
    )
    return [
        f"axe {violation['id']} ({violation['impact']}): {' '.join(node['target'])}"
        for violation in found
        for node in violation["nodes"]
    ]


def _overflow(page: Page) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = PHONE["width"]
    return [f"{width} px wide on a {viewport} px phone"] if width > viewport else []


def _bare(url: str) -> str:
    return url.split("#", 1)[0]


@dataclass
class Audit:
    """Checks each page where a journey looks at it, and fails at the journey's end with
    every fault on every page; pages the journey reached but never checked fail it too."""

    checks: dict[str, list[str]] = field(default_factory=dict)
    reached: list[str] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        page.on(
            "framenavigated",
            lambda frame: frame == page.main_frame and self.reached.append(frame.url),
        )
        return page

    def listen(self, page: Page) -> Page:
        """Also fails the journey on what the page's address does not show: a missing
        resource (404, such as a favicon) and console errors, among them every piece of the
        page the content security policy refused."""
        page.on(
            "response",
            lambda response: (
                response.status == 404
                and self.heard.append(f"404 for {response.url} on {page.url}")
            ),
        )
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.heard.append(f"console error on {page.url}: {message.text}")
            ),
        )
        page.on(
            "pageerror", lambda error: self.heard.append(f"script error on {page.url}: {error}")
        )
        return page

    def __call__(self, page: Page) -> None:
        page.wait_for_load_state()
        found = _axe_violations(page)
        viewport = page.viewport_size
        if viewport and viewport["width"] <= PHONE["width"]:
            found += _overflow(page)
        self.checks.setdefault(_bare(page.url), []).extend(found)

    def assert_clean(self) -> None:
        unchecked = sorted({_bare(url) for url in self.reached} - set(self.checks))
        assert not unchecked, f"the journey reached pages it did not check: {unchecked}"
        faults = [
            f"{url}\n    " + "\n    ".join(dict.fromkeys(found))
            for url, found in self.checks.items()
            if found
        ]
        faults += list(dict.fromkeys(self.heard))
        if faults:
            raise PageDefects("faults on pages visited:\n  " + "\n  ".join(faults))


# Links to these are downloads, not pages to look at.
DOWNLOADS = (".csv", ".ics", ".pdf")
_IDS = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|\d+")


def _route(url: str) -> str:
    """The page a link leads to with its ids and numbers blanked out, so one meeting's door
    stands for every meeting's: the same template, not worth a second visit."""
    parts = urlsplit(url)
    return _IDS.sub("#", parts.path) + "?" + "&".join(sorted(parse_qs(parts.query)))


def crawl(
    page: Page,
    audit: Audit,
    base: str,
    starts: list[str],
    under: tuple[str, ...] = ("/beheer",),
    depth: int = 2,
    limit: int = 15,
) -> list[str]:
    """Visits and audits ``starts``, then the pages their links lead to under ``under`` on
    the same service, ``depth`` links deep, one page per route and at most ``limit``; returns
    the addresses visited.

    Only links are followed: they are GETs and change nothing, while forms stay unsent.
    Downloads are left alone, known by their extension or, failing that, by the type the
    service answers a HEAD for them with.
    """
    origin = urlsplit(base).netloc
    seen: set[str] = set()
    visited: list[str] = []
    level = [urljoin(base, start) for start in starts]
    for _ in range(depth + 1):
        found: list[str] = []
        for url in level:
            route = _route(url)
            if route in seen or len(visited) >= limit:
                continue
            seen.add(route)
            head = page.request.head(url)
            if "text/html" not in head.headers.get("content-type", ""):
                continue
            response = page.goto(url)
            assert response is not None and response.ok, (
                f"{url} answered {response and response.status}"
            )
            audit(page)
            visited.append(url)
            found += page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
        level = [
            _bare(link)
            for link in found
            if urlsplit(link).netloc == origin
            and urlsplit(link).path.startswith(under)
            and not urlsplit(link).path.endswith(DOWNLOADS)
        ]
    return visited
