"""Staff pages on a phone and at the door, on PostgreSQL: tables that stack with their column
names, the login that lands staff at their work, the next meeting first, and a check-in that
comes back to the same row with the same search.

The widths themselves are measured in a real browser (tests/browser); here is what makes them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gia.registry import manifest
from services.essay_contest.app import create_app as essay_contest_app
from services.guide.app import create_app as guide_app
from services.indicators.app import create_app as indicators_app
from services.indicators.consumer import build_consumer
from services.practiceteam.app import create_app as practiceteam_app
from services.registration import meetings
from services.registration.app import create_app as registration_app
from services.registration.models import Registration
from services.registration.schemas import MeetingIn
from shared.manifest import resolve
from shared.settings import AUTH_DATABASE, Settings
from tests.factories import MEETING, PERSON, PRACTICETEAM_REQUEST, serving, signed_in
from tests.integration.test_indicators import ROTTERDAM, attended

pytestmark = pytest.mark.services

CREATE_APP: dict[str, Callable[..., Flask]] = {
    "registration": registration_app,
    "practiceteam": practiceteam_app,
    "essay_contest": essay_contest_app,
    "guide": guide_app,
    "indicators": indicators_app,
}
# The indicators' staff pages are not under /beheer: only the dashboard has that address too.
INDICATOR_PAGES = (
    "/beheer",
    "/gemeenten/",
    "/ontbrekend",
    "/rapport",
    "/waardering",
    "/uitnodigingen",
)
# A staff page once per shape: ids and years are the same page for another record.
SAME_SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|GM\d{4}|\d+")


@contextmanager
def serving_pages(settings: Settings, service: str) -> Iterator[Flask]:
    """The service's app with forms posted as a test client posts them, without CSRF tokens."""
    with serving(CREATE_APP[service], settings, AUTH_DATABASE, service) as app:
        app.config["WTF_CSRF_ENABLED"] = False
        yield app


@pytest.fixture
def registration(real_settings: Settings) -> Iterator[Flask]:
    with serving_pages(real_settings, "registration") as app:
        yield app


@pytest.fixture
def staff(registration: Flask) -> FlaskClient:
    return signed_in(registration.test_client(), "deur@minbzk.nl")


def new_meeting(app: Flask, title: str, day: str) -> str:
    context = app.extensions["gia"]
    times = {
        "starts_at": f"{day}T10:00:00+01:00",
        "ends_at": f"{day}T13:00:00+01:00",
        "registration_deadline": f"{day}T09:00:00+01:00",
    }
    with context.db.transaction() as session:
        data = MeetingIn().load({**MEETING, "title": title, "capacity": 10, **times})
        return meetings.create_meeting(session, context.recorder, data).id


def registered(client: FlaskClient, meeting_id: str, **person: str) -> Registration:
    response = client.post(
        f"/api/v1/meetings/{meeting_id}/registrations", json={**PERSON, **person}
    )
    assert response.status_code == 201, response.json
    with client.application.extensions["gia"].db.transaction() as session:
        found = session.scalar(select(Registration).where(Registration.id == response.json["id"]))
        session.expunge(found)
        return found


# -- tables that stack --------------------------------------------------------------------------


@dataclass
class Table:
    classes: list[str]
    columns: list[str] = field(default_factory=list)
    # Per body or foot row, its cells: (tag, attributes, text).
    rows: list[list[tuple[str, dict[str, str], str]]] = field(default_factory=list)


class Tables(HTMLParser):
    """The tables of a page with their column headings and cells, and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.links: list[str] = []
        self._section = ""
        self._cell: tuple[str, dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "a" and "href" in named:
            self.links.append(named["href"])
        elif tag == "table":
            self.tables.append(Table(named.get("class", "").split()))
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr" and self._section != "thead":
            self.tables[-1].rows.append([])
        elif tag in ("th", "td"):
            self._cell = (tag, named, [])

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[2].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("th", "td") or self._cell is None:
            return
        kind, attributes, text = self._cell
        words = " ".join("".join(text).split())
        if self._section == "thead":
            self.tables[-1].columns.append(words)
        else:
            self.tables[-1].rows[-1].append((kind, attributes, words))
        self._cell = None


def unlabelled(table: Table) -> list[str]:
    """Each cell that does not name its own column as the table's heading does, or why the
    table does not stack at all."""
    if "stack" not in table.classes:
        return [f"table {table.columns} has no class stack"]
    wrong = []
    for row in table.rows:
        position = 0
        for kind, attributes, text in row:
            if kind == "td" and "colspan" not in attributes:
                label = attributes.get("data-label")
                expected = table.columns[position] if position < len(table.columns) else None
                if label != expected:
                    wrong.append(f"{text!r} has data-label {label!r}, column {expected!r}")
            position += int(attributes.get("colspan") or 1)
    return wrong


def staff_page(service: str, path: str) -> bool:
    if service == "indicators":
        return path.startswith(INDICATOR_PAGES)
    return path.startswith("/beheer") and not path.endswith(".csv")


def crawl(client: FlaskClient, service: str) -> dict[str, Tables]:
    """Every staff page reachable from /beheer by its links, one of each shape."""
    pages: dict[str, Tables] = {}
    seen: set[str] = set()
    waiting = deque(["/beheer"])
    while waiting:
        path = waiting.popleft()
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue  # a download behind a staff link
        page = Tables()
        page.feed(response.get_data(as_text=True))
        pages[path] = page
        for link in page.links:
            target = link.split("#")[0].split("?")[0]
            shape = SAME_SHAPE.sub("*", target)
            if target and staff_page(service, target) and shape not in seen:
                seen.add(shape)
                waiting.append(target)
    return pages


def with_examples(app: Flask, service: str, settings: Settings) -> None:
    """A record or two in the service, so its tables have rows."""
    seed = manifest(service).seed
    if seed:
        resolve(seed)(app.extensions["gia"].db, settings, date(2030, 1, 6))
    client = app.test_client()
    if service == "registration":
        meeting_id = new_meeting(app, "Regiobijeenkomst Limburg", "2030-02-01")
        person = registered(client, meeting_id)
        signed_in(client, "deur@minbzk.nl").post(f"/beheer/inschrijvingen/{person.id}/binnen")
    elif service == "practiceteam":
        assert client.post("/api/v1/requests", json=PRACTICETEAM_REQUEST).status_code == 201
    elif service == "indicators":
        consumer = build_consumer(settings)
        consumer.apply([attended(0, ROTTERDAM, guide_presented=True)])
        consumer.db.dispose()


@pytest.mark.parametrize("service", CREATE_APP)
def test_every_table_on_the_staff_pages_stacks_with_its_column_names(
    real_settings: Settings, service: str
) -> None:
    with serving_pages(real_settings, service) as app:
        with_examples(app, service, real_settings)
        pages = crawl(signed_in(app.test_client(), "beheer@minbzk.nl"), service)
        tables = {path: page.tables for path, page in pages.items() if page.tables}
        assert tables, f"no staff page of {service} with a table among {sorted(pages)}"
        wrong = {
            path: problems
            for path, found in tables.items()
            if (problems := [p for table in found for p in unlabelled(table)])
        }
        assert wrong == {}


def test_the_stylesheet_stacks_tables_and_hides_what_is_hidden(staff: FlaskClient) -> None:
    css = staff.get("/static/gia/gia.css").get_data(as_text=True)
    assert "[hidden] { display: none !important; }" in css
    assert "content: attr(data-label)" in css and "overflow-wrap: anywhere" in css


# -- the login lands staff at their work --------------------------------------------------------


def logs_in(client: FlaskClient, path: str, email: str) -> str:
    response = client.post(path, data={"email": email, "password": "een wachtwoord voor de tests"})
    assert response.status_code == 302
    return response.location


@pytest.mark.parametrize("service", CREATE_APP)
def test_staff_who_open_the_login_page_land_on_beheer(
    real_settings: Settings, service: str
) -> None:
    with serving_pages(real_settings, service) as app:
        client = app.test_client()
        signed_in(client, "medewerker@minbzk.nl")
        with client.session_transaction() as stored:
            stored.clear()
        assert logs_in(client, "/login", "medewerker@minbzk.nl") == "/beheer"
        assert client.get("/beheer").status_code == 200


def test_after_logging_in_staff_go_where_they_were_going(
    registration: Flask, staff: FlaskClient
) -> None:
    meeting_id = new_meeting(registration, "Regiobijeenkomst Limburg", "2030-02-01")
    door = f"/beheer/bijeenkomsten/{meeting_id}/deur"
    anonymous = registration.test_client()
    sent = anonymous.get(door).location
    assert sent.startswith("/login?next=")
    assert logs_in(anonymous, sent, "deur@minbzk.nl").startswith(door)
    elsewhere = registration.test_client()
    assert logs_in(elsewhere, "/login?next=https://example.org/", "deur@minbzk.nl") == "/beheer"


def test_jury_members_land_where_they_did_before(real_settings: Settings) -> None:
    with serving_pages(real_settings, "essay_contest") as app:
        client = app.test_client()
        signed_in(client, "jurylid@minbzk.nl", "jury")
        with client.session_transaction() as stored:
            stored.clear()
        assert logs_in(client, "/login", "jurylid@minbzk.nl") == "/"


# -- the meetings staff manage: the next one first ----------------------------------------------


def test_staff_see_the_next_meeting_first_and_past_ones_after(
    registration: Flask, staff: FlaskClient
) -> None:
    for title, day in (
        ("Later", "2031-03-01"),
        ("Eerder voorbij", "2019-03-01"),
        ("Eerstvolgend", "2030-03-01"),
        ("Net voorbij", "2020-03-01"),
    ):
        new_meeting(registration, title, day)
    page = staff.get("/beheer").get_data(as_text=True)
    order = ["Komende bijeenkomsten", "Eerstvolgend", "Later", "Voorbije bijeenkomsten"]
    order += ["Net voorbij", "Eerder voorbij"]
    positions = [page.index(f">{text}<") for text in order]
    assert positions == sorted(positions)


# -- at the door ---------------------------------------------------------------------------------


def test_a_check_in_comes_back_to_its_row_with_the_search(
    registration: Flask, staff: FlaskClient
) -> None:
    meeting_id = new_meeting(registration, "Regiobijeenkomst Limburg", "2030-02-01")
    an = registered(staff, meeting_id)
    door = f"/beheer/bijeenkomsten/{meeting_id}/deur"
    searched = staff.get(f"{door}?q=Vries").get_data(as_text=True)
    assert f'id="person-{an.id}"' in searched
    assert '<input type="hidden" name="q" value="Vries">' in searched

    checked = staff.post(f"/beheer/inschrijvingen/{an.id}/binnen", data={"q": " Vries "})
    assert checked.location == f"{door}?q=Vries#person-{an.id}"
    undone = staff.post(f"/beheer/inschrijvingen/{an.id}/niet-binnen", data={"q": "de v"})
    assert undone.location == f"{door}?q=de+v#person-{an.id}"
    unsearched = staff.post(f"/beheer/inschrijvingen/{an.id}/binnen", data={"q": ""})
    assert unsearched.location == f"{door}#person-{an.id}"


def test_the_door_counts_who_is_in_of_those_expected_and_walk_ins_apart(
    registration: Flask, staff: FlaskClient
) -> None:
    meeting_id = new_meeting(registration, "Regiobijeenkomst Limburg", "2030-02-01")
    an = registered(staff, meeting_id)
    registered(staff, meeting_id, name="Bram Bakker", email="b@example.nl")
    door = f"/beheer/bijeenkomsten/{meeting_id}/deur"
    staff.post(f"/beheer/inschrijvingen/{an.id}/binnen")
    staff.post(door, data={**PERSON, "organisation": "", "name": "Cor", "email": "c@example.nl"})
    counts = re.search(r'<p class="count" id="aantallen">(.*?)</p>', staff.get(door).text, re.S)
    assert counts is not None
    assert " ".join(counts.group(1).split()) == (
        "<strong>1</strong> van 2 aangemelden binnen, 1 zonder aanmelding"
    )
