"""The guide pages on the embedded default: the public guides and downloading through the Dutch
form, and the staff pages that publish guides, editions and toolbox items and show the
downloads."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from services.guide.app import create_app
from shared.settings import Settings, load_settings
from tests.factories import serving, signed_in
from tests.integration.test_guide_api import EXECUTABLE, MAX_BYTES, PDF, downloaded_events, rows

STAFF = {"subject": "redactie@minbzk.nl", "role": "staff"}
GUIDE_FORM = {
    "title": "Samen leven bindt verschillen",
    "slug": "",
    "summary": "Integratie in (versnelde) transitie.",
    "themes": ["social_tensions", "citizenship"],
    "available_from": "2012-07-01",
    "counts_for_awareness": "y",
}
PAGE = "/handreikingen/samen-leven-bindt-verschillen"
ADMIN = "/beheer/handreikingen/samen-leven-bindt-verschillen"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "GIA_VAR_DIR": str(tmp_path),
            "GIA_SECRET_KEY": "k" * 40,
            "GIA_GUIDE_MAX_BYTES": str(MAX_BYTES),
        }
    )


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    with serving(create_app, settings, "auth", "guide") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def staff(app: Flask) -> FlaskClient:
    client = app.test_client()
    signed_in(client, STAFF["subject"], STAFF["role"])
    return client


def post_file(client: FlaskClient, path: str, content: bytes | None, **fields: Any) -> Any:
    data = dict(fields)
    if content is not None:
        data["file"] = (io.BytesIO(content), "handreiking.pdf")
    return client.post(path, data=data, content_type="multipart/form-data")


@pytest.fixture
def published(staff: FlaskClient) -> FlaskClient:
    """The guide with one edition and one tool, published through the staff pages."""
    announced = staff.post("/beheer/handreikingen", data=GUIDE_FORM)
    assert announced.status_code == 302 and announced.location == ADMIN
    edition = post_file(staff, f"{ADMIN}/editie", PDF, published_on="2012-07-01", notes="Eerste.")
    assert edition.status_code == 302, edition.text
    tool = post_file(
        staff,
        f"{ADMIN}/gereedschap",
        PDF + b"% tool\n",
        title="Het gesprek in de wijk",
        description="Met sleutelfiguren.",
        themes=["social_tensions"],
        published_on="2012-09-01",
    )
    assert tool.status_code == 302, tool.text
    return staff


def choices(page: str) -> list[str]:
    return re.findall(r'name="document" value="([^"]+)"', page)


def test_everyone_sees_the_guide_and_downloads_by_naming_their_municipality(
    app: Flask, client: FlaskClient, published: FlaskClient
) -> None:
    listed = client.get("/")
    assert listed.status_code == 200 and "Samen leven bindt verschillen" in listed.text
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Editie 1" in page.text and "Het gesprek in de wijk" in page.text
    assert "Uw gemeente" in page.text and "365 dagen" in page.text  # what is kept, how long
    edition, tool = choices(page.text)
    assert edition == "edition:1" and tool.startswith("item:")
    assert f'value="{edition}" checked' in page.text  # the newest edition unless one chooses

    served = client.post(PAGE, data={"document": edition, "municipality_code": "den haag"})
    assert served.status_code == 200 and served.data == PDF
    assert served.headers["Content-Disposition"].startswith("attachment")
    from_toolbox = client.post(
        PAGE, data={"document": tool, "municipality_code": "GM0599", "role": "official"}
    )
    assert from_toolbox.data == PDF + b"% tool\n"
    assert [event.data["municipality_code"] for event in downloaded_events(app)] == [
        "GM0518",
        "GM0599",
    ]


def test_the_toolbox_is_filtered_by_theme(client: FlaskClient, published: FlaskClient) -> None:
    assert "Het gesprek in de wijk" in client.get(f"{PAGE}?theme=social_tensions").text
    other = client.get(f"{PAGE}?theme=education").text
    assert "Geen onderdelen over dit thema." in other and choices(other) == ["edition:1"]
    assert client.get(f"{PAGE}?theme=onzin").status_code == 422


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"municipality_code": ""}, "municipality_code", "Vul dit veld in."),
        (
            {"municipality_code": "Nergenshuizen"},
            "municipality_code",
            "Deze gemeente kennen wij niet",
        ),
        ({"email": "geen-adres"}, "email", "geldig e-mailadres"),
        ({"role": "minister"}, "role", "Kies een van de mogelijkheden."),
        ({"document": "edition:7"}, None, "Dit document bestaat niet"),
        ({"document": "alles"}, "document", "Kies een van de documenten"),
    ],
)
def test_wrong_input_is_named_in_dutch_and_nothing_is_kept(
    app: Flask,
    client: FlaskClient,
    published: FlaskClient,
    form: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    sent = {"document": "edition:1", "municipality_code": "Rotterdam", **form}
    refused = client.post(PAGE, data=sent)
    assert 400 <= refused.status_code < 500 and refused.mimetype == "text/html"
    assert "<title>Fout: " in refused.text and message in refused.text
    if field:
        assert f'id="{field}-fout"' in refused.text
    assert rows(app)["downloads"] == rows(app)["outbox"] == 0


def test_a_guide_not_yet_out_has_no_download_form(app: Flask, staff: FlaskClient) -> None:
    later = {**GUIDE_FORM, "title": "Samen werken aan sterk en veelzijdig werk"}
    staff.post("/beheer/handreikingen", data={**later, "available_from": "2099-07-01"})
    admin = "/beheer/handreikingen/samen-werken-aan-sterk-en-veelzijdig-werk"
    post_file(staff, f"{admin}/editie", PDF, published_on="2099-07-01")
    page = app.test_client().get("/handreikingen/samen-werken-aan-sterk-en-veelzijdig-werk")
    assert "Te downloaden vanaf 01-07-2099" in page.text and choices(page.text) == []
    refused = app.test_client().post(
        "/handreikingen/samen-werken-aan-sterk-en-veelzijdig-werk",
        data={"document": "edition:1", "municipality_code": "Rotterdam"},
    )
    assert refused.status_code == 409 and "te downloaden vanaf 01-07-2099" in refused.text
    assert rows(app)["downloads"] == 0


def test_staff_see_the_downloads_per_guide_and_per_municipality(
    client: FlaskClient, published: FlaskClient
) -> None:
    for code in ("Rotterdam", "Rotterdam", "Maastricht"):
        client.post(PAGE, data={"document": "edition:1", "municipality_code": code})
    page = published.get("/beheer/downloads").text
    assert "Rotterdam" in page and "Maastricht" in page and "doelgroep" in page
    assert page.index("Rotterdam") < page.index("Maastricht")  # the target group first
    sheet = published.get("/beheer/downloads/gemeenten.csv")
    assert sheet.mimetype == "text/csv" and "GM0599,Rotterdam" in sheet.text
    assert (
        "samen-leven-bindt-verschillen" in published.get("/beheer/downloads/handreikingen.csv").text
    )
    overview = published.get("/beheer").text
    assert "3 door 2 gemeente(n)" in overview
    admin = published.get(ADMIN).text
    file_link = re.search(r'href="(/beheer/bestanden/[^"]+)"', admin)
    assert file_link and published.get(file_link[1]).data == PDF


def test_staff_forms_refuse_wrong_input_in_dutch_and_keep_nothing(
    app: Flask, staff: FlaskClient, published: FlaskClient
) -> None:
    before = rows(app)
    again = staff.post("/beheer/handreikingen", data=GUIDE_FORM)
    assert again.status_code == 409 and "Er is al een handreiking op" in again.text
    no_title = staff.post("/beheer/handreikingen", data={**GUIDE_FORM, "title": "  "})
    assert no_title.status_code == 422 and 'id="title-fout"' in no_title.text
    bad_slug = staff.post("/beheer/handreikingen", data={**GUIDE_FORM, "slug": "Met Spaties"})
    assert bad_slug.status_code == 422 and "kleine letters" in bad_slug.text
    no_date = staff.post("/beheer/handreikingen", data={**GUIDE_FORM, "available_from": "morgen"})
    assert no_date.status_code == 422 and 'id="available_from-fout"' in no_date.text
    for content, status, message in [
        (EXECUTABLE, 415, "Dit soort bestand nemen wij niet aan"),
        (b"", 422, "Het bestand is leeg."),
        (None, 422, 'id="file-fout"'),
        (PDF + bytes(MAX_BYTES), 413, "te groot"),
    ]:
        refused = post_file(staff, f"{ADMIN}/editie", content, published_on="2012-10-01")
        assert refused.status_code == status and message in refused.text, refused.text
    no_themes = post_file(
        staff, f"{ADMIN}/gereedschap", PDF, title="Tip", published_on="2012-10-01"
    )
    assert no_themes.status_code == 422 and "Kies minstens één thema." in no_themes.text
    assert rows(app) == before


def test_staff_pages_send_others_to_the_login(app: Flask, client: FlaskClient) -> None:
    for path in ("/beheer", "/beheer/downloads", f"{ADMIN}/editie"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    jury = app.test_client()
    signed_in(jury, "jurylid@example.nl", "jury")
    assert jury.get("/beheer").status_code == 403
    assert client.post("/beheer/handreikingen", data=GUIDE_FORM).status_code == 302
    assert rows(app)["guides"] == 0


def test_forms_need_their_csrf_token(settings: Settings) -> None:
    with serving(create_app, settings, "auth", "guide") as app:
        response = app.test_client().post(PAGE, data={"municipality_code": "Rotterdam"})
    assert response.status_code == 400 and "Het formulier is verlopen" in response.text


def test_a_large_guide_file_passes_the_form_check(settings: Settings) -> None:
    """The form check reads the body before the view: it must have room for a guide file
    (GIA_GUIDE_MAX_BYTES), not only for the site's ordinary forms."""
    large = load_settings({**settings.variables, "GIA_GUIDE_MAX_BYTES": str(3 * 1024 * 1024)})
    content = PDF + b"0" * (2 * 1024 * 1024)
    assert len(content) > large.max_body_bytes
    with serving(create_app, large, "auth", "guide") as app:
        staff = app.test_client()
        signed_in(staff, STAFF["subject"], STAFF["role"])
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', staff.get("/beheer").text)
        assert csrf
        staff.post("/beheer/handreikingen", data={**GUIDE_FORM, "csrf_token": csrf[1]})
        sent = post_file(
            staff, f"{ADMIN}/editie", content, published_on="2012-07-01", csrf_token=csrf[1]
        )
        assert sent.status_code == 302, sent.text
        assert rows(app)["editions"] == 1
