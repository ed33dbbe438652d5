"""The praktijkteam pages on the embedded default: the Dutch request form, the tracking
page behind the municipality's link, and the staff pages."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.practiceteam.app import create_app
from services.practiceteam.models import Attachment, Note, SupportRequest
from shared.settings import Settings, load_settings
from tests.factories import PRACTICETEAM_REQUEST, delivered_mails, path_of, serving, signed_in
from tests.refusals import summary_links
from tests.tables import table_rows

CONTACT = PRACTICETEAM_REQUEST["contact"]
# The form as a browser sends it: five municipality inputs, the contact's inputs with dots.
FORM: dict[str, Any] = {
    "municipality_codes": ["GM0599", "GM0606", "", "", ""],
    "lead_municipality_code": "GM0599",
    **{f"contact.{name}": value for name, value in CONTACT.items()},
    "question": PRACTICETEAM_REQUEST["question"],
    "themes": PRACTICETEAM_REQUEST["themes"],
    "tried": "",
    "desired_period": "najaar 2012",
}
PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 50
EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 200


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"GIA_VAR_DIR": str(tmp_path), "GIA_SECRET_KEY": "k" * 40})


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    with serving(create_app, settings, "auth", "practiceteam") as app:
        app.config["WTF_CSRF_ENABLED"] = False
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def staff_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    signed_in(client, "team@minbzk.nl", "staff")
    return client


def requests_stored(app: Flask) -> int:
    with app.extensions["gia"].db.transaction() as session:
        return session.scalar(select(func.count()).select_from(SupportRequest)) or 0


def submitted(client: FlaskClient, **changes: Any) -> str:
    """The tracking page's path (with its token) of a request sent through the form."""
    response = client.post("/aanvragen", data={**FORM, **changes})
    assert response.status_code == 302, response.text
    return path_of(response.location)


def test_the_form_is_in_dutch_and_says_what_happens_next(client: FlaskClient) -> None:
    page = client.get("/aanvragen").text
    assert "Een praktijkteam aanvragen" in page
    assert "10 werkdagen" in page
    assert 'for="contact.email"' in page and 'id="contact.email"' in page


def test_a_request_sent_through_the_form_leads_to_its_tracking_page_and_a_mail(
    app: Flask, client: FlaskClient, settings: Settings
) -> None:
    upload = {"file": [(io.BytesIO(PDF), "plan van aanpak.pdf")]}
    tracking = submitted(client, **upload)
    page = client.get(tracking).text
    assert "Uw aanvraag is ontvangen" in page
    assert "Volgende stap: <strong>de intake van uw aanvraag</strong>" in page
    assert "Rotterdam (trekker), Schiedam" in page
    assert "plan van aanpak.pdf" in page
    mails = delivered_mails(settings, "practiceteam")
    assert [mail["To"] for mail in mails] == [CONTACT["email"]]
    assert tracking.split("?")[0] in mails[0].get_body().get_content()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"municipality_codes": ["GM9999"]}, "municipality_codes", "Deze gemeente kennen wij niet"),
        ({"question": "   "}, "question", "Vul dit veld in."),
        ({"contact.email": "geen adres"}, "contact.email", "Vul een geldig e-mailadres in"),
        ({"lead_municipality_code": ""}, "lead_municipality_code", "trekkende gemeente"),
        ({"themes": []}, "themes", "Kies ten minste één thema."),
    ],
)
def test_wrong_input_is_named_in_dutch_beside_its_field_and_nothing_is_stored(
    app: Flask, client: FlaskClient, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/aanvragen", data={**FORM, **changes})
    assert response.status_code == 422
    error = re.search(rf'id="{re.escape(field)}-fout">([^<]*)<', response.text)
    assert error is not None and message in error[1], response.text
    assert 'value="f.elidrissi@example.nl"' in response.text or field == "contact.email"
    assert requests_stored(app) == 0


def test_an_executable_named_pdf_refuses_the_whole_request(
    app: Flask, client: FlaskClient, settings: Settings
) -> None:
    response = client.post(
        "/aanvragen", data={**FORM, "file": [(io.BytesIO(EXECUTABLE), "offerte.pdf")]}
    )
    assert response.status_code == 415
    assert "Dit soort bestand nemen wij niet aan" in response.text
    assert requests_stored(app) == 0
    assert not list((Path(settings.var_dir) / "attachments").glob("*"))


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: FlaskClient) -> None:
    huge = io.BytesIO(b"%PDF-" + b"0" * (3 * 10 * 1024 * 1024 + 200 * 1024))
    response = client.post(
        "/aanvragen", data={**FORM, "file": [(huge, "groot.pdf")]}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 413


def test_the_tracking_link_opens_its_own_request_only(client: FlaskClient) -> None:
    first = submitted(client)
    second = submitted(client, **{"contact.name": "Joost Bakker"})
    first_id, first_token = re.match(r"/aanvraag/([^?]+)\?token=(.+)", first).groups()
    second_id = re.match(r"/aanvraag/([^?]+)", second)[1]
    assert client.get(f"/aanvraag/{second_id}?token={first_token}").status_code == 403
    assert client.get(f"/aanvraag/{first_id}").status_code == 403
    answered = client.post(f"/aanvraag/{second_id}/intrekken", data={"token": first_token})
    assert answered.status_code == 403
    assert "Fatima el Idrissi" not in client.get(second).text


def test_the_municipality_answers_a_question_adds_a_document_and_withdraws(
    app: Flask, client: FlaskClient
) -> None:
    tracking = submitted(client)
    request_id, token = re.match(r"/aanvraag/([^?]+)\?token=(.+)", tracking).groups()
    staff = staff_client(app)
    asked = staff.post(f"/beheer/aanvragen/{request_id}/vraag", data={"body": "Welke wijk?"})
    assert asked.status_code == 302
    noted = staff.post(f"/beheer/aanvragen/{request_id}/notitie", data={"body": "GEHEIM-42"})
    assert noted.status_code == 302
    page = client.get(tracking).text
    assert "Welke wijk?" in page and "GEHEIM-42" not in page
    question = re.search(r'name="in_reply_to" value="([^"]+)"', page)[1]
    answered = client.post(
        f"/aanvraag/{request_id}/bericht",
        data={"token": token, "in_reply_to": question, "body": "Het Oude Westen."},
    )
    assert answered.status_code == 302
    attached = client.post(
        f"/aanvraag/{request_id}/bijlage",
        data={"token": token, "file": (io.BytesIO(PDF), "wijkanalyse.pdf")},
    )
    assert attached.status_code == 302
    withdrawn = client.post(f"/aanvraag/{request_id}/intrekken", data={"token": token})
    assert withdrawn.status_code == 302
    page = client.get(tracking).text
    assert "Het Oude Westen." in page and "wijkanalyse.pdf" in page
    assert "<strong>Ingetrokken</strong>" in page
    assert "Aanvraag intrekken" not in page  # nothing more to withdraw
    with app.extensions["gia"].db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 1
        assert session.scalar(select(func.count()).select_from(Note)) == 1


def test_staff_move_a_request_to_closed_through_the_pages(app: Flask, client: FlaskClient) -> None:
    tracking = submitted(client)
    request_id, token = re.match(r"/aanvraag/([^?]+)\?token=(.+)", tracking).groups()
    staff = staff_client(app)
    page = f"/beheer/aanvragen/{request_id}"

    def move(to: str, **data: Any) -> Any:
        version = re.search(r'name="version" value="(\d+)"', staff.get(page).text)[1]
        return staff.post(f"{page}/status", data={"to": to, "version": version, **data})

    assert move("intake").status_code == 302
    assert move("accepted", note="Past goed bij de aanpak.").status_code == 302
    refused = move("planned", **{"dates.0.date": "2012-10-01"})
    assert refused.status_code == 409 and "Wijs eerst een teamlid toe." in refused.text
    assigned = staff.post(
        f"{page}/team", data={"name": "Els de Boer", "email": "els@minbzk.nl", "role": "lead"}
    )
    assert assigned.status_code == 302
    planned = move(
        "planned",
        **{
            "dates.0.date": "2012-10-01",
            "dates.0.description": "Kennismaking",
            "dates.1.date": "",
            "dates.1.description": "",
            "dates.2.date": "2012-11-05",
        },
    )
    assert planned.status_code == 302
    assert move("in_progress").status_code == 302
    capacity = staff.get("/beheer/capaciteit").text
    header, *members = table_rows(capacity)
    assert header[1:] == ["2012-10", "2012-11", "Nog zonder data"]
    assert ["Els de Boer els@minbzk.nl", "1", "1", "0"] in members
    missing = move("completed", report="Gesprekken gevoerd.")
    assert missing.status_code == 422 and 'id="agreements-fout"' in missing.text
    assert (
        move("completed", report="Gesprekken gevoerd.", agreements="Vervolg in maart.").status_code
        == 302
    )
    evaluated = client.post(
        f"/aanvraag/{request_id}/evaluatie",
        data={"token": token, "score": "4", "comment": "Nuttig"},
    )
    assert evaluated.status_code == 302
    shown = client.get(tracking).text
    assert "01-10-2012: Kennismaking" in shown and "05-11-2012" in shown
    assert "Els de Boer (trekker)" in shown and "els@minbzk.nl" not in shown
    assert "<strong>Gesloten</strong>" in shown and "4 (goed): Nuttig" in shown


def test_a_stale_page_cannot_move_a_request(app: Flask, client: FlaskClient) -> None:
    request_id = re.match(r"/aanvraag/([^?]+)", submitted(client))[1]
    staff = staff_client(app)
    page = f"/beheer/aanvragen/{request_id}"
    version = re.search(r'name="version" value="(\d+)"', staff.get(page).text)[1]
    assert (
        staff.post(f"{page}/status", data={"to": "intake", "version": version}).status_code == 302
    )
    stale = staff.post(f"{page}/status", data={"to": "withdrawn", "version": version})
    assert stale.status_code == 409
    assert "De aanvraag is intussen gewijzigd" in stale.text


def test_the_queue_marks_the_target_group_and_filters(app: Flask, client: FlaskClient) -> None:
    submitted(client)
    submitted(
        client,
        municipality_codes=["GM0363"],  # Amsterdam
        lead_municipality_code="",
        themes=["education"],
    )
    staff = staff_client(app)
    everything = staff.get("/beheer").text
    assert "2 aanvragen" in everything and 'class="tag">doelgroep' in everything
    education = staff.get("/beheer?theme=education").text
    assert "1 aanvraag." in education and "Amsterdam" in education and "Schiedam" not in education
    assert "Geen aanvragen met deze filters." in staff.get("/beheer?older_than_days=7").text
    assert staff.get("/beheer?status=nonsense").status_code == 422
    assert "Nog geen teamleden toegewezen." in staff.get("/beheer/capaciteit").text


def test_staff_pages_send_others_to_the_login(client: FlaskClient) -> None:
    for path in ("/beheer", "/beheer/capaciteit"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    signed_in(client, "jurylid@example.nl", "jury")
    assert client.get("/beheer").status_code == 403


def test_forms_need_their_csrf_token(settings: Settings) -> None:
    with serving(create_app, settings, "auth", "practiceteam") as app:
        response = app.test_client().post("/aanvragen", data=FORM)
    assert response.status_code == 400
    assert "Het formulier is verlopen" in response.text


def test_documents_up_to_the_limit_pass_the_form_check(settings: Settings) -> None:
    """The form check reads the body before the view: it must already have room for the
    documents (GIA_ATTACHMENT_MAX_BYTES each), not only for the site's ordinary forms."""
    two_megabytes = PDF + b"0" * (2 * 1024 * 1024)
    assert len(two_megabytes) > settings.max_body_bytes
    with serving(create_app, settings, "auth", "practiceteam") as app:
        client = app.test_client()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/aanvragen").text)[1]
        sent = client.post(
            "/aanvragen",
            data={**FORM, "csrf_token": csrf, "file": [(io.BytesIO(two_megabytes), "plan.pdf")]},
        )
        assert sent.status_code == 302, sent.text
        tracking = client.get(path_of(sent.location)).text
        assert "plan.pdf" in tracking
        huge = b"%PDF-" + b"0" * (3 * settings.attachment_max_bytes + 200 * 1024)
        refused = client.post(
            "/aanvragen", data={**FORM, "csrf_token": csrf, "file": [(io.BytesIO(huge), "x.pdf")]}
        )
    assert refused.status_code == 413
    assert requests_stored(app) == 1


def test_a_refused_move_names_the_moves_still_possible(app: Flask, client: FlaskClient) -> None:
    tracking = submitted(client)
    request_id, token = re.match(r"/aanvraag/([^?]+)\?token=(.+)", tracking).groups()
    staff = staff_client(app)
    page = f"/beheer/aanvragen/{request_id}"
    assert staff.post(f"{page}/status", data={"to": "intake"}).status_code == 302
    refused = staff.post(f"{page}/status", data={"to": "in_progress"})
    assert refused.status_code == 409
    assert "Mogelijke volgende status: toegekend, afgewezen, ingetrokken." in refused.text

    withdrawn = {"token": token, "note": ""}
    assert client.post(f"/aanvraag/{request_id}/intrekken", data=withdrawn).status_code == 302
    again = client.post(f"/aanvraag/{request_id}/intrekken", data=withdrawn)
    assert again.status_code == 409
    assert "De aanvraag is ingetrokken; er is geen volgende stap meer." in again.text


def test_a_refused_request_names_its_boxes_and_buttons_as_things_to_choose(
    app: Flask, client: FlaskClient
) -> None:
    """Never "Vul 1 tot 16 tekens in." for boxes to tick, nor "Vul dit veld in." for buttons."""
    refused = client.post("/aanvragen", data={**FORM, "themes": [], "question": ""})
    assert summary_links(refused.text) == [
        ("question", "Vul dit veld in."),
        ("themes", "Kies ten minste één thema."),
    ]
    request_id = re.match(r"/aanvraag/([^?]+)\?", submitted(client))[1]
    staff = staff_client(app)
    unmoved = staff.post(f"/beheer/aanvragen/{request_id}/status", data={"to": ""})
    assert summary_links(unmoved.text) == [("to", "Kies een nieuwe status.")]
