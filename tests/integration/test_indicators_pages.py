"""The indicators' pages, feeds and survey on PostgreSQL: who gets in, and what they see."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from gia.migrations import upgrade
from services.indicators.access import survey_links
from services.indicators.app import create_app
from services.indicators.consumer import build_consumer
from services.indicators.history import MOST_POINTS
from services.indicators.models import FeedToken
from shared.clock import SetClock
from shared.municipalities import load_register
from shared.settings import Settings, load_settings
from tests.factories import signed_in, staff_headers
from tests.integration.test_indicators import REGISTER, ROTTERDAM, attended, practiceteam

pytestmark = pytest.mark.services
STAFF_PAGES = ["/", "/gemeenten/GM0599", "/ontbrekend", "/rapport"]


@pytest.fixture
def app(real_settings: Settings) -> Iterator[Flask]:
    upgrade(real_settings, ("indicators",))
    app = create_app(real_settings)
    app.config["WTF_CSRF_ENABLED"] = False
    consumer = build_consumer(real_settings)
    consumer.apply([attended(0, ROTTERDAM, guide_presented=True)])
    consumer.db.dispose()
    yield app
    app.extensions["gia"].db.dispose()


def logged_in(app: Flask, role: str) -> FlaskClient:
    client = app.test_client()
    signed_in(client, f"{role}@minbzk.nl", role)
    return client


def test_staff_pages_refuse_anyone_without_a_staff_session(app: Flask) -> None:
    anonymous, jury, staff = app.test_client(), logged_in(app, "jury"), logged_in(app, "staff")
    for path in STAFF_PAGES:
        assert anonymous.get(path).status_code == 302
        assert jury.get(path).status_code == 403
        page = staff.get(path)
        assert page.status_code == 200, path
    dashboard = staff.get("/").get_data(as_text=True)
    assert "<svg" in dashboard and "<desc" in dashboard and "1 van" in dashboard
    # A trend against the targets for the whole target group and for each region it is in.
    regions = {municipality.region for municipality in load_register(None).target_group}
    assert dashboard.count('role="img"') == 1 + len(regions)
    assert "Verloop in Zuid-Holland" in dashboard
    # Drawn years after 2012 (the moves are logged today), each line still has a few hundred
    # points at most.
    lines = re.findall(r'<polyline [^>]*points="([^"]*)"', dashboard)
    assert len(lines) == 3 * (1 + len(regions))
    assert all(len(points.split()) <= MOST_POINTS + 1 for points in lines)
    explained = staff.get("/gemeenten/GM0599").get_data(as_text=True)
    assert "Aanwezig bij een bijeenkomst op 1 september 2012" in explained
    assert "nl.gia.registration.attended" not in explained
    assert staff.get("/gemeenten/GM9999").status_code == 404


def test_feeds_need_a_valid_token_and_stop_working_when_it_is_revoked(app: Flask) -> None:
    staff = logged_in(app, "staff")
    assert staff.post("/feeds", data={"label": "mijn lezer"}).status_code == 302
    links = re.findall(r'href="(/feeds/[^"]+)"', staff.get("/").get_data(as_text=True))
    atom = next(link.replace("&amp;", "&") for link in links if "figures.atom" in link)
    reader = app.test_client()  # a feed reader: no session
    found = reader.get(atom)
    assert found.status_code == 200 and found.mimetype == "application/atom+xml"
    assert b"<entry>" in found.data and b"Deelname" in found.data
    for name in ("figures.json", "figures.csv", "groups.csv", "evidence.csv"):
        assert reader.get(atom.replace("figures.atom", name)).status_code == 200, name

    token_id = atom.split("/")[2]
    assert reader.get(atom.split("?")[0]).status_code == 401
    assert reader.get(atom.split("?")[0] + "?token=forged").status_code == 403
    with app.extensions["gia"].db.transaction() as session:
        assert session.scalar(select(FeedToken.label)) == "mijn lezer"
    assert staff.post(f"/feeds/{token_id}/intrekken").status_code == 302
    assert reader.get(atom).status_code == 403
    assert logged_in(app, "jury").post(f"/feeds/{token_id}/intrekken").status_code == 403


def test_the_survey_page_and_api_take_an_answer_through_the_personal_link(
    app: Flask, real_settings: Settings
) -> None:
    client = app.test_client()
    code = "GM0363"
    token = survey_links(real_settings.secret_key).token(code)
    assert client.get(f"/enquete/{code}?token=wrong").status_code == 403
    assert client.get(f"/enquete/{ROTTERDAM}?token={token}").status_code == 403
    assert client.get(f"/enquete/{code}?token={token}").status_code == 200
    refused = client.post(
        f"/enquete/{code}", data={"token": token, "knows_guide": "on", "uses": ["other"]}
    )
    assert refused.status_code == 422 and "anders is gebruikt" in refused.get_data(as_text=True)
    answered = client.post(
        f"/enquete/{code}", data={"token": token, "knows_guide": "on", "uses": ["policy"]}
    )
    assert answered.status_code == 302
    figures = client.get("/api/v1/indicators").json["indicators"]
    assert {f["indicator"]: f["numerator"] for f in figures} == {
        "awareness": 2,
        "use": 1,
        "participation": 1,
    }
    # through the API: the link's token, or staff; anyone else is refused
    body = {"knows_guide": False, "uses": []}
    url = f"/api/v1/municipalities/{code}/survey"
    assert client.post(url, json=body).status_code == 401
    assert (
        client.post(url, json=body, headers=staff_headers(real_settings, "jury")).status_code == 403
    )
    assert client.post(url, json={"uses": "x"}, query_string={"token": token}).status_code == 400
    created = client.post(url, json=body, query_string={"token": token})
    assert created.status_code == 201 and created.json["municipality_code"] == code
    use = next(
        f for f in client.get("/api/v1/indicators").json["indicators"] if f["indicator"] == "use"
    )
    assert use["numerator"] == 0  # the latest answer counts
    links = client.get("/api/v1/survey/links.csv", headers=staff_headers(real_settings))
    assert links.status_code == 200 and f"/enquete/{code}?token={token}" in links.get_data(
        as_text=True
    )


RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def test_the_atom_and_json_feeds_are_valid_and_mark_a_reached_target_apart(
    real_env: dict[str, str], tmp_path: Path
) -> None:
    """Four target-group municipalities: the second to take part reaches 45% (2 of 4).
    The JSON feed is JSON Feed 1.1 with the Atom feed's entries."""
    path = tmp_path / "register.csv"
    path.write_text(REGISTER)
    settings = load_settings({**real_env, "GIA_MUNICIPALITIES_FILE": str(path)})
    upgrade(settings, ("indicators",))
    consumer = build_consumer(settings)
    for minutes, code in ((0, "GM0001"), (1, "GM0005"), (2, "GM0002")):  # GM0005 is outside
        consumer.apply([attended(minutes, code)])
    consumer.db.dispose()
    app = create_app(settings)
    staff = logged_in(app, "staff")
    feed = staff.get(f"/feeds/{uuid.uuid4()}/figures.atom")
    json_url = f"/feeds/{uuid.uuid4()}/figures.json"
    json_feed = staff.get(json_url)
    app.extensions["gia"].db.dispose()

    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.data)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert root.findtext(required, namespaces=atom), required
    assert root.find("a:link[@rel='self']", atom) is not None
    entries = root.findall("a:entry", atom)
    assert len({entry.findtext("a:id", namespaces=atom) for entry in entries}) == len(entries) == 3
    for entry in entries:
        assert entry.findtext("a:title", namespaces=atom)
        assert RFC_3339.match(entry.findtext("a:updated", namespaces=atom))
        # RFC 4287 4.1.1.a: an entry without content links to its alternate.
        alternate = entry.find("a:link[@rel='alternate']", atom)
        assert entry.find("a:content", atom) is not None or alternate is not None
    kinds = [entry.find("a:category", atom).get("term") for entry in entries]
    assert kinds == ["target_reached", "changed", "changed"]
    assert "doel van 45% gehaald" in entries[0].findtext("a:title", namespaces=atom)
    assert "2 van 4" in entries[1].findtext("a:title", namespaces=atom)
    assert RFC_3339.match(root.findtext("a:updated", namespaces=atom))

    assert json_feed.status_code == 200 and json_feed.mimetype == "application/feed+json"
    body = json_feed.json
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    assert body["title"] == root.findtext("a:title", namespaces=atom)
    assert body["feed_url"] == f"http://localhost{json_url}"
    assert body["home_page_url"] == root.find("a:link[@rel='alternate']", atom).get("href")
    items = body["items"]
    assert [item["id"] for item in items] == [e.findtext("a:id", namespaces=atom) for e in entries]
    for item, entry in zip(items, entries, strict=True):
        assert item["title"] == entry.findtext("a:title", namespaces=atom)
        assert item["content_text"] == entry.findtext("a:summary", namespaces=atom)
        assert item["date_published"] == entry.findtext("a:updated", namespaces=atom)
        assert RFC_3339.match(item["date_published"])
        assert item["url"] == body["home_page_url"]
    assert [item["tags"] for item in items] == [[kind] for kind in kinds]
    assert [item["_gia"]["kind"] for item in items] == kinds
    assert items[0]["_gia"] == {
        "kind": "target_reached",
        "indicator": "participation",
        "numerator": 2,
        "denominator": 4,
        "value": 0.5,
        "target": 0.45,
    }
    assert items[0]["content_text"] == "2 van 4 gemeenten in de doelgroep; doel 45%."


# Eight in the target group, one of them at 17.5% non-western: one taking part is 12.5%.
EIGHT = "code,name,province,non_western_pct\n" + "".join(
    f"GM000{n},Plaats {n},Zuid-Holland,{17.5 if n == 1 else 20.0}\n" for n in range(1, 9)
)


def test_pages_write_dutch_numbers_an_axed_chart_and_the_evidence_in_words(
    real_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "register.csv"
    path.write_text(EIGHT)
    settings = load_settings({**real_env, "GIA_MUNICIPALITIES_FILE": str(path)})
    upgrade(settings, ("indicators",))
    consumer = build_consumer(settings)
    request_id = str(uuid.uuid4())
    consumer.apply(
        [attended(0, "GM0001"), practiceteam(1, "submitted", request_id, "GM0001", "GM0002")]
    )
    consumer.db.dispose()
    app = create_app(settings, SetClock(datetime(2012, 10, 15, 12, tzinfo=UTC)))
    staff = logged_in(app, "staff")
    dashboard, report, place = (
        staff.get(path).get_data(as_text=True) for path in ("/", "/rapport", "/gemeenten/GM0001")
    )
    app.extensions["gia"].db.dispose()

    assert "1 van 8" in dashboard and "12,5%" in dashboard and "12,5%" in report
    assert "17,5% niet-westerse migranten" in place
    for page in (dashboard, report, place):
        assert not re.search(r"\d\.\d+ ?%", page)
    # Gridlines at every quarter, and the months from the programme's start to today.
    chart = report[report.index("<svg") : report.index("</svg>")]
    for label in ("0%", "25%", "50%", "75%", "100%", "jul 2012", "aug", "sep", "okt"):
        assert f">{label}</text>" in chart, label
    # A point a day up to today; the table a row a week, back from today.
    assert "het aandeel van de doelgroep per dag" in report
    assert "Stand aan het einde van elke week" in report
    assert '<th scope="row">15 oktober 2012</th>' in report
    assert "Activiteit (praktijkteamaanvragen en essays): 2 gemeenten" in dashboard
    # Evidence in words, each linking to the event it came from.
    assert "Praktijkteamaanvraag van Plaats 1 en Plaats 2, ingediend op 1 september 2012" in place
    assert "Aanwezig bij een bijeenkomst op 1 september 2012" in place
    assert f"practiceteam:{request_id}" not in place
    assert re.search(
        r'<a href="/api/v1/events/[0-9a-f-]{36}">Praktijkteamaanvraag ingediend</a>', place
    )
