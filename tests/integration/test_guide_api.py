"""The guides' API: staff publish guides, editions and toolbox items; officials download after
naming their municipality, which keeps the download and its event in one transaction; staff
count the downloads. On the embedded SQLite default and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from services.guide.app import create_app
from services.guide.models import Download, Edition, Guide, MailQueue, Outbox, ToolboxItem
from services.guide.operations import erase, seed_example
from services.guide.seed import SLUG
from shared.clock import SetClock
from shared.db import Database
from shared.events.catalogue import GUIDE_DOWNLOADED
from shared.events.envelope import parse_event
from shared.settings import Settings, load_settings
from tests.factories import delivered_mails, serving, staff_headers

PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 50
EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 200
# The 2012 guide (letter of 7 June 2012) and the second one, both downloadable from July 2012.
GUIDE = {
    "title": "Samen leven bindt verschillen",
    "summary": "Integratie in (versnelde) transitie.",
    "themes": ["social_tensions", "citizenship"],
    "available_from": "2012-07-01",
}
SECOND = {"title": "Samen werken aan sterk en veelzijdig werk", "available_from": "2012-07-01"}
ROTTERDAM, SCHIEDAM, MAASTRICHT = "GM0599", "GM0606", "GM0935"  # the last outside the group
# An official of Rotterdam, naming it by name; role and address are optional.
OFFICIAL = {"municipality_code": "Rotterdam", "role": "official", "email": "a.bakker@example.nl"}
MAX_BYTES = 64 * 1024


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Guide files of at most 64 kB, so that a file over the limit is quick to send."""
    if request.param == "postgresql":
        env = request.getfixturevalue("real_env")
    else:
        env = {"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40}
    return load_settings({**env, "GIA_GUIDE_MAX_BYTES": str(MAX_BYTES)})


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    with serving(create_app, settings, "guide", "auth") as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff(settings: Settings) -> dict[str, str]:
    return staff_headers(settings)


def publish(client: FlaskClient, staff: dict[str, str], guide: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/guides", json=guide, headers=staff)
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def upload(
    client: FlaskClient,
    staff: dict[str, str],
    path: str,
    content: bytes | None = PDF,
    name: str = "deel-1.pdf",
    **fields: Any,
) -> Any:
    data: dict[str, Any] = dict(fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    return client.post(path, data=data, headers=staff, content_type="multipart/form-data")


def edition(client: FlaskClient, staff: dict[str, str], guide_id: str, content: bytes = PDF) -> Any:
    path = f"/api/v1/guides/{guide_id}/editions"
    added = upload(client, staff, path, content, published_on="2012-07-01", notes="Nieuw.")
    assert added.status_code == 201, added.json
    return added.json


def tool(client: FlaskClient, staff: dict[str, str], guide_id: str, **fields: Any) -> Any:
    fields = {
        "title": "Het gesprek in de wijk",
        "themes": ["social_tensions"],
        "published_on": "2012-09-01",
        **fields,
    }
    added = upload(
        client, staff, f"/api/v1/guides/{guide_id}/toolbox-items", PDF, "x.pdf", **fields
    )
    assert added.status_code == 201, added.json
    return added.json


def rows(app: Flask) -> dict[str, int]:
    """How many of each are kept."""
    with app.extensions["gia"].db.transaction() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Guide, Edition, ToolboxItem, Download, Outbox, MailQueue)
        }


def downloaded_events(app: Flask) -> list[Any]:
    with app.extensions["gia"].db.transaction() as session:
        bodies = session.scalars(select(Outbox.body).order_by(Outbox.created_at)).all()
    return [parse_event(body) for body in bodies]


def pdf_text(content: bytes) -> bytes:
    """A PDF's page contents, uncompressed."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S)
    return b"".join(zlib.decompress(stream) for stream in streams)


# -- publishing --------------------------------------------------------------------------------


def test_staff_publish_a_guide_with_editions_and_a_toolbox_that_everyone_can_read(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    guide = publish(client, staff, GUIDE)
    assert guide["slug"] == "samen-leven-bindt-verschillen" and guide["available"] is True
    assert guide["page"].endswith("/handreikingen/samen-leven-bindt-verschillen")
    assert guide["counts_for_awareness"] is True and guide["editions"] == []
    first = edition(client, staff, guide["id"])
    assert (first["number"], first["media_type"], first["size"]) == (1, "application/pdf", len(PDF))
    second = edition(client, staff, guide["id"])
    item = tool(client, staff, guide["id"], themes=["social_tensions", "discrimination"])
    assert item["filename"] == "x.pdf"

    found = client.get(f"/api/v1/guides/{guide['id']}").json
    assert [found_edition["number"] for found_edition in found["editions"]] == [2, 1]
    assert found["editions"][0]["id"] == second["id"] and found["toolbox"][0]["id"] == item["id"]
    assert [listed["title"] for listed in client.get("/api/v1/guides").json] == [GUIDE["title"]]
    # Staff check a file without it counting as a download.
    checked = client.get(f"/api/v1/files/{first['id']}", headers=staff)
    assert checked.status_code == 200 and checked.data == PDF
    assert checked.headers["X-Content-Type-Options"] == "nosniff"


def test_a_slug_is_taken_once(client: FlaskClient, staff: dict[str, str]) -> None:
    publish(client, staff, GUIDE)
    again = client.post("/api/v1/guides", json=GUIDE, headers=staff)
    assert again.status_code == 409 and "slug" in again.json["errors"]
    unsluggable = client.post("/api/v1/guides", json={**GUIDE, "title": "«…»"}, headers=staff)
    assert unsluggable.status_code == 400 and "slug" in unsluggable.json["errors"]


def test_uploads_are_judged_by_their_content_and_size_and_a_refused_one_leaves_nothing(
    app: Flask, client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    guide = publish(client, staff, GUIDE)
    path = f"/api/v1/guides/{guide['id']}/editions"
    fields = {"published_on": "2012-07-01"}
    assert upload(client, staff, path, EXECUTABLE, "handreiking.pdf", **fields).status_code == 415
    empty = upload(client, staff, path, b"", "leeg.pdf", **fields)
    assert empty.status_code == 400 and "file" in empty.json["errors"]
    over = upload(client, staff, path, PDF + bytes(MAX_BYTES), "groot.pdf", **fields)
    assert over.status_code == 413
    no_file = upload(client, staff, path, None, **fields)
    assert no_file.status_code == 400 and "file" in no_file.json["errors"]
    no_date = upload(client, staff, path, PDF)
    assert no_date.status_code == 400 and "published_on" in no_date.json["errors"]
    no_themes = upload(
        client, staff, f"/api/v1/guides/{guide['id']}/toolbox-items", PDF, title="Tip", **fields
    )
    assert no_themes.status_code == 400 and "themes" in no_themes.json["errors"]
    unknown = upload(client, staff, "/api/v1/guides/00000000-0000-4000-8000-000000000000/editions")
    assert unknown.status_code in (400, 404)
    assert rows(app)["editions"] == rows(app)["toolbox_items"] == 0
    store = settings.var_dir / "guides"
    assert not store.exists() or not any(store.iterdir())


def test_staff_endpoints_need_a_staff_token(client: FlaskClient, settings: Settings) -> None:
    jury = staff_headers(settings, role="jury")
    guide_path = "/api/v1/guides/00000000-0000-4000-8000-000000000000"
    for method, path in [
        ("post", "/api/v1/guides"),
        ("post", f"{guide_path}/editions"),
        ("post", f"{guide_path}/toolbox-items"),
        ("get", "/api/v1/files/00000000-0000-4000-8000-000000000000"),
        ("get", "/api/v1/downloads/guides"),
        ("get", "/api/v1/downloads/guides.csv"),
        ("get", "/api/v1/downloads/municipalities"),
        ("get", "/api/v1/downloads/municipalities.csv"),
    ]:
        assert getattr(client, method)(path).status_code == 401, path
        assert getattr(client, method)(path, headers=jury).status_code == 403, path


# -- downloading -------------------------------------------------------------------------------


def test_a_download_serves_the_file_and_records_an_event_without_personal_data(
    app: Flask, client: FlaskClient, staff: dict[str, str]
) -> None:
    guide = publish(client, staff, GUIDE)
    first = edition(client, staff, guide["id"], PDF)
    newest = PDF + b"% editie 2\n"
    edition(client, staff, guide["id"], newest)
    item = tool(client, staff, guide["id"])
    base = f"/api/v1/guides/{guide['id']}"

    served = client.post(f"{base}/downloads", json=OFFICIAL)
    assert served.status_code == 200 and served.data == newest
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"] == "attachment; filename=deel-1.pdf"
    older = client.post(f"{base}/editions/1/downloads", json={"municipality_code": SCHIEDAM})
    assert older.status_code == 200 and older.data == PDF
    from_toolbox = client.post(
        f"{base}/toolbox-items/{item['id']}/downloads", json={"municipality_code": "maastricht"}
    )
    assert from_toolbox.status_code == 200 and from_toolbox.data == PDF

    events = downloaded_events(app)
    assert [event.type for event in events] == [GUIDE_DOWNLOADED] * 3
    assert {event.subject for event in events} == {f"guide/{guide['id']}"}
    assert [
        (event.data["municipality_code"], event.data["edition"], event.data["toolbox_item_id"])
        for event in events
    ] == [(ROTTERDAM, 2, None), (SCHIEDAM, 1, None), (MAASTRICHT, None, item["id"])]
    assert events[0].data["guide_slug"] == "samen-leven-bindt-verschillen"
    assert events[0].data["counts_for_awareness"] is True
    assert events[0].source.endswith(":systeem:gia-guide")
    for event in events:
        assert OFFICIAL["email"] not in str(event.data) and "official" not in str(event.data)
    with app.extensions["gia"].db.transaction() as session:
        kept = session.scalars(select(Download).order_by(Download.downloaded_at)).all()
        assert [(row.role, row.email) for row in kept] == [
            ("official", OFFICIAL["email"]),
            (None, None),
            (None, None),
        ]
        assert kept[1].edition_id == first["id"] and kept[2].toolbox_item_id == item["id"]


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("/downloads", {"municipality_code": "Nergenshuizen"}, 400, "municipality_code"),
        ("/downloads", {"municipality_code": "GM9999"}, 400, "municipality_code"),
        ("/downloads", {"role": "official"}, 400, "municipality_code"),
        ("/downloads", {"municipality_code": ROTTERDAM, "email": "geen-adres"}, 400, "email"),
        ("/downloads", {"municipality_code": ROTTERDAM, "role": "minister"}, 400, "role"),
        ("/downloads", {"municipality_code": ROTTERDAM, "extra": 1}, 400, "extra"),
        ("/downloads", {"municipality_code": "Rotter\x00dam"}, 400, "municipality_code"),
        ("/editions/9/downloads", {"municipality_code": ROTTERDAM}, 404, None),
        (
            "/toolbox-items/00000000-0000-4000-8000-000000000000/downloads",
            {"municipality_code": ROTTERDAM},
            404,
            None,
        ),
    ],
)
def test_a_refused_download_is_a_clear_4xx_and_keeps_nothing(
    app: Flask,
    client: FlaskClient,
    staff: dict[str, str],
    path: str,
    body: dict[str, Any],
    status: int,
    field: str | None,
) -> None:
    guide = publish(client, staff, GUIDE)
    edition(client, staff, guide["id"])
    refused = client.post(f"/api/v1/guides/{guide['id']}{path}", json=body)
    assert refused.status_code == status, refused.json
    assert refused.mimetype == "application/problem+json"
    if field:
        assert field in refused.json["errors"]
    if "Nergenshuizen" in str(body):
        assert "Did you mean" in refused.json["errors"]["municipality_code"][0]
    assert rows(app)["downloads"] == rows(app)["outbox"] == 0


def test_nothing_to_download_yet_or_an_unknown_guide_keeps_nothing(
    app: Flask, client: FlaskClient, staff: dict[str, str]
) -> None:
    guide = publish(client, staff, GUIDE)
    empty = client.post(f"/api/v1/guides/{guide['id']}/downloads", json=OFFICIAL)
    assert empty.status_code == 404 and "no edition yet" in empty.json["detail"]
    unknown = "/api/v1/guides/00000000-0000-4000-8000-000000000000/downloads"
    assert client.post(unknown, json=OFFICIAL).status_code == 404
    not_json = client.post(
        f"/api/v1/guides/{guide['id']}/downloads",
        data="{nee",
        headers={"Content-Type": "application/json"},
    )
    assert not_json.status_code == 400
    assert rows(app)["downloads"] == rows(app)["outbox"] == 0


def test_the_second_guide_is_announced_before_july_and_downloadable_from_july(
    settings: Settings, client: FlaskClient, staff: dict[str, str]
) -> None:
    guide = publish(client, staff, SECOND)
    edition(client, staff, guide["id"])
    clock = SetClock(datetime(2012, 6, 30, 21, 59, tzinfo=UTC))  # 23:59 in Amsterdam
    app = create_app(settings, clock)
    try:
        early = app.test_client()
        assert early.get(f"/api/v1/guides/{guide['id']}").json["available"] is False
        refused = early.post(f"/api/v1/guides/{guide['id']}/downloads", json=OFFICIAL)
        assert refused.status_code == 409 and refused.json["available_from"] == "2012-07-01"
        assert rows(app)["downloads"] == 0
        clock.advance(timedelta(minutes=2))  # 1 July, 00:01 in Amsterdam
        assert (
            early.post(f"/api/v1/guides/{guide['id']}/downloads", json=OFFICIAL).status_code == 200
        )
    finally:
        app.extensions["gia"].db.dispose()
        app.extensions["gia"].auth_db.dispose()


# -- counting ----------------------------------------------------------------------------------


def test_staff_count_downloads_per_guide_and_per_municipality(
    client: FlaskClient, staff: dict[str, str]
) -> None:
    guide = publish(client, staff, GUIDE)
    second = publish(client, staff, {**SECOND, "title": "=Samen werken", "slug": "samen-werken"})
    edition(client, staff, guide["id"])
    edition(client, staff, guide["id"])
    edition(client, staff, second["id"])
    item = tool(client, staff, guide["id"])
    base = f"/api/v1/guides/{guide['id']}"
    for path, body in [
        ("/downloads", OFFICIAL),
        ("/downloads", {"municipality_code": ROTTERDAM}),
        ("/editions/1/downloads", {"municipality_code": SCHIEDAM, "role": "alderman"}),
        (f"/toolbox-items/{item['id']}/downloads", {"municipality_code": MAASTRICHT}),
    ]:
        assert client.post(f"{base}{path}", json=body).status_code == 200
    assert client.post(f"/api/v1/guides/{second['id']}/downloads", json=OFFICIAL).status_code == 200

    per_guide = {
        count["slug"]: count for count in client.get("/api/v1/downloads/guides", headers=staff).json
    }
    first = per_guide["samen-leven-bindt-verschillen"]
    assert (first["downloads"], first["municipalities"], first["target_group"]) == (4, 3, 2)
    assert first["editions"] == {"1": 1, "2": 2} and first["toolbox"] == 1
    assert first["roles"] == {"official": 1, "not_given": 2, "alderman": 1}
    assert per_guide["samen-werken"]["downloads"] == 1

    per_municipality = client.get("/api/v1/downloads/municipalities", headers=staff).json
    assert [(count["code"], count["downloads"]) for count in per_municipality] == [
        (ROTTERDAM, 3),
        (SCHIEDAM, 1),
        (MAASTRICHT, 1),  # outside the target group: last
    ]
    assert per_municipality[0]["guides"] == {"samen-leven-bindt-verschillen": 2, "samen-werken": 1}
    assert per_municipality[0]["in_target_group"] and not per_municipality[2]["in_target_group"]

    sheet = client.get("/api/v1/downloads/municipalities.csv", headers=staff)
    assert sheet.mimetype == "text/csv"
    header, *lines = list(csv.reader(io.StringIO(sheet.get_data(as_text=True))))
    rotterdam = dict(zip(header, lines[0], strict=True))
    assert header[:6] == [
        "gemeentecode",
        "gemeente",
        "provincie",
        "regio",
        "doelgroep",
        "downloads",
    ]
    assert rotterdam["gemeente"] == "Rotterdam" and rotterdam["doelgroep"] == "ja"
    assert (rotterdam["samen-leven-bindt-verschillen"], rotterdam["samen-werken"]) == ("2", "1")
    assert rotterdam["downloads"] == "3" and len(lines) == 3
    guides_sheet = client.get("/api/v1/downloads/guides.csv", headers=staff).get_data(as_text=True)
    assert "'=Samen werken" in guides_sheet  # a title that starts like a formula stays text


# -- the address left for a new edition -------------------------------------------------------


def test_a_new_edition_is_mailed_once_per_address_and_then_the_address_is_erased(
    app: Flask, client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    guide = publish(client, staff, GUIDE)
    edition(client, staff, guide["id"])
    base = f"/api/v1/guides/{guide['id']}/downloads"
    for body in [
        OFFICIAL,
        {**OFFICIAL, "email": OFFICIAL["email"].upper()},  # the same address again
        {"municipality_code": SCHIEDAM, "email": "k.peters@example.nl"},
        {"municipality_code": MAASTRICHT},
    ]:
        assert client.post(base, json=body).status_code == 200
    db: Database = app.extensions["gia"].db
    now = datetime.now(UTC)
    assert erase(db, settings, now) == 0  # nothing told yet, nothing old: all kept

    edition(client, staff, guide["id"])
    mails = delivered_mails(settings, "guide")
    assert sorted(str(mail["To"]).lower() for mail in mails) == [
        OFFICIAL["email"],
        "k.peters@example.nl",
    ]
    text = mails[0].get_content()
    assert "editie 2" in text and "/handreikingen/samen-leven-bindt-verschillen" in text
    assert erase(db, settings, now) == 3
    with db.transaction() as session:
        assert session.scalars(select(Download.email)).all() == [None] * 4
        assert session.scalar(select(func.count()).select_from(Download)) == 4  # counts stay
    edition(client, staff, guide["id"])
    assert len(delivered_mails(settings, "guide")) == 2  # no address left to tell


def test_an_address_whose_notice_never_came_goes_after_the_retention_period(
    app: Flask, client: FlaskClient, staff: dict[str, str], settings: Settings
) -> None:
    guide = publish(client, staff, GUIDE)
    edition(client, staff, guide["id"])
    assert client.post(f"/api/v1/guides/{guide['id']}/downloads", json=OFFICIAL).status_code == 200
    db: Database = app.extensions["gia"].db
    now = datetime.now(UTC)
    assert erase(db, settings, now + timedelta(days=364)) == 0
    assert erase(db, settings, now + timedelta(days=366)) == 1
    shorter = load_settings({**settings.variables, "GIA_GUIDE_RETENTION_DAYS": "30"})
    with db.transaction() as session:
        session.execute(update(Download).values(email="weer@example.nl"))
    assert erase(db, shorter, now + timedelta(days=31)) == 1


# -- the example ------------------------------------------------------------------------------


def test_the_seed_publishes_the_example_guide_once_with_a_pdf_marked_as_example(
    app: Flask, client: FlaskClient, settings: Settings, staff: dict[str, str]
) -> None:
    db: Database = app.extensions["gia"].db
    assert seed_example(db, settings, datetime.now(UTC).date()) == "example guide added"
    assert seed_example(db, settings, datetime.now(UTC).date()) == "example guide already there"
    (guide,) = client.get("/api/v1/guides").json
    assert guide["slug"] == SLUG and guide["title"].startswith("Voorbeeld: ")
    assert len(guide["editions"]) == 1 and len(guide["toolbox"]) == 1
    for document in (guide["editions"][0], guide["toolbox"][0]):
        content = client.get(f"/api/v1/files/{document['id']}", headers=staff).data
        assert content.startswith(b"%PDF-") and b"VOORBEELD" in pdf_text(content)
    downloaded = client.post(f"/api/v1/guides/{guide['id']}/downloads", json=OFFICIAL)
    assert downloaded.status_code == 200 and downloaded.data.startswith(b"%PDF-")
